package io.github.tdmqhttp.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The benchmark's output: a markdown table of messages/s with the ratios to the baselines and the targets, the heap
 * while a backlog drains, and a PNG of throughput against latency and against concurrency.
 */
record Report(String machine, List<Benchmark.Row> rows, HeapProbe.HeapDrain heap,
              Map<String, Map<Integer, Double>> byLatency, Map<String, Map<Integer, Double>> byConcurrency,
              List<LatencyProbe.Result> latencies, double idleCallsPerSecond, List<Benchmark.CpuRow> cpu,
              Benchmark.ScaleOut scaleOut) {

    static final String CHART = "throughput.png";
    static final String TABLE = "benchmark.md";

    String markdown() {
        StringBuilder text = new StringBuilder();
        text.append("Machine: ").append(machine).append("\n\n");
        text.append("| Scenario | Latency | Quota | msg/s (all rounds) | spread | vs baseline | new TLS connections per"
                    + " 1,000 calls | target | met |\n");
        text.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Benchmark.Row row : rows) {
            Measurement m = row.measurement();
            text.append("| ").append(row.scenario())
                    .append(" | ").append(row.latencyMillis()).append(" ms")
                    .append(" | ").append(row.quota() ? "1000/s" : "off")
                    .append(" | ").append(format(m.rate()))
                    .append(" | ").append(format(m.min())).append("–").append(format(m.max()))
                    .append(" | ").append(row.baseline() == null ? ""
                            : String.format(Locale.ROOT, "%.2f×", m.rate() / row.baseline().rate()))
                    .append(" | ").append(row.tlsPer1000Calls() < 0 ? ""
                            : String.format(Locale.ROOT, "%.1f", row.tlsPer1000Calls()))
                    .append(" | ").append(row.target())
                    .append(" | ").append(row.target().isEmpty() ? "" : row.met() ? "yes" : "**no**")
                    .append(" |\n");
        }
        text.append("\nErrors that reached the route or the loop: ")
                .append(rows.stream().mapToLong(row -> row.measurement().errors()).sum()).append(".\n");
        text.append("\nLatency from the start of the SendMessages call to the consumer's route (defaults, quota on;"
                    + " the messages of the first second left out):\n\n");
        text.append("| Rate | Latency | p50 | p99 | target p50 / p99 | met | messages | errors |\n");
        text.append("|---|---|---|---|---|---|---|---|\n");
        for (LatencyProbe.Result result : latencies) {
            double p50Target = result.latencyMillis() + 50;
            boolean met = result.p50() <= p50Target && result.p99() <= 2 * p50Target && result.errors() == 0;
            text.append(String.format(Locale.ROOT, "| %d msg/s | %d ms | %.0f ms | %.0f ms | ≤ %.0f / %.0f ms | %s | %,d"
                                                   + " | %d |%n", result.perSecond(), result.latencyMillis(),
                    result.p50(), result.p99(), p50Target, 2 * p50Target, met ? "yes" : "**no**", result.messages(),
                    result.errors()));
        }
        text.append(String.format(Locale.ROOT, "%nAn idle consumer (defaults) made %.1f ReceiveMessage calls a second"
                                               + " (one receive waiting on the server at a time).%n",
                idleCallsPerSecond));
        text.append("\nCPU time of the process per message and per API call, component and raw SDK loop at the same"
                    + " rate (0 ms), in a JVM of its own (the emulator runs elsewhere); the target is judged at "
                    + Benchmark.CPU_TARGET_RATE + " messages/s:\n\n");
        text.append("| Rate | Load | µs CPU per message | µs CPU per call | calls per message | vs raw SDK per call |"
                    + " target | met |\n");
        text.append("|---|---|---|---|---|---|---|---|\n");
        for (Benchmark.CpuRow row : cpu) {
            cpuLine(text, row.baselineLine(), null, "", "");
            cpuLine(text, row.componentLine(), row.baselineLine(), row.judged() ? "≤ 1.3× raw SDK per call" : "",
                    !row.judged() ? "" : row.met() ? "yes" : "**no**");
        }
        if (scaleOut != null) {
            text.append(String.format(Locale.ROOT, "%n%d consumer processes (defaults) on one subscription, %d ms of"
                                                   + " work per message, 20 ms, quota on: %,d of %,d messages"
                                                   + " processed, %d processed more than once, %d by two processes at"
                                                   + " the same time; %,.0f msg/s together against %s for one"
                                                   + " process%s.%n",
                    scaleOut.processes(), scaleOut.workMillis(), scaleOut.processed(), scaleOut.messages(),
                    scaleOut.processedTwice(), scaleOut.overlapping(), scaleOut.allProcessesRate(),
                    Double.isNaN(scaleOut.oneProcessRate()) ? "(not measured in the quick run)"
                            : format(scaleOut.oneProcessRate()) + " msg/s",
                    Double.isNaN(scaleOut.oneProcessRate()) ? ""
                            : String.format(Locale.ROOT, " (%.1f×)", scaleOut.allProcessesRate()
                                                                     / scaleOut.oneProcessRate())));
        }
        if (heap != null) {
            text.append(String.format(Locale.ROOT, "%nHeap while the consumer (defaults) drained a backlog of %,d"
                                                   + " messages in %.0f s: %d MB after GC before, %d MB at most"
                                                   + " during, %d MB after.%n", heap.messages(), heap.seconds(),
                    heap.heapBeforeMb(), heap.heapPeakMb(), heap.heapAfterMb()));
        }
        return text.toString();
    }

    void write(Path directory) throws IOException {
        Files.writeString(directory.resolve(TABLE), markdown());
        BufferedImage image = new BufferedImage(1400, 560, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        chart("Throughput against server latency (no quota, maxRequestsPerSecond=0)", "server latency (ms)", byLatency)
                .draw(graphics, new Rectangle2D.Double(0, 0, 700, 560));
        chart("Throughput against concurrency (20 ms latency, no quota)", "calls in flight", byConcurrency)
                .draw(graphics, new Rectangle2D.Double(700, 0, 700, 560));
        graphics.dispose();
        ImageIO.write(image, "png", directory.resolve(CHART).toFile());
    }

    private static JFreeChart chart(String title, String xAxis, Map<String, Map<Integer, Double>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries line = new XYSeries(name);
            points.forEach(line::add);
            data.addSeries(line);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xAxis, "messages / s", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    private static void cpuLine(StringBuilder text, CpuProbe.Line line, CpuProbe.Line baseline, String target,
                                String met) {
        text.append(String.format(Locale.ROOT, "| %d msg/s | %s | %.0f | %.0f | %.2f | %s | %s | %s |%n",
                line.perSecond(), line.load(),
                line.microsPerMessage(), line.microsPerCall(), (double) line.calls() / Math.max(1, line.messages()),
                baseline == null ? "" : String.format(Locale.ROOT, "%.2f×", line.microsPerCall()
                                                                            / baseline.microsPerCall()),
                target, met));
    }

    private static String format(double rate) {
        return String.format(Locale.ROOT, "%,.0f", rate);
    }
}
