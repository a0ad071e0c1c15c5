package io.github.tdmqhttp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the component against the raw SDK loops of the official demo, on the emulator, at 0 and 20 ms of server
 * latency and with TDMQ's 1000 requests/s quota off or on, and writes a table of messages/s with the ratios to the
 * baseline, a chart of throughput against latency and concurrency, and the heap while a large backlog drains.
 * <p>
 * {@code -Dbench.quick=true} runs a short version (seconds, not minutes); {@code -Dbench.out=dir} chooses where the
 * report goes (default {@code target/benchmark}).
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

    private final boolean quick;
    private final Measurement.Settings table;
    private final Measurement.Settings chart;
    private final Path out;
    private final List<Row> rows = new ArrayList<>();

    Benchmark(boolean quick, Path out) {
        this.quick = quick;
        this.out = out;
        this.table = quick ? new Measurement.Settings(300, 1, 700) : new Measurement.Settings(2000, 3, 4000);
        this.chart = quick ? new Measurement.Settings(200, 1, 400) : new Measurement.Settings(1000, 1, 2500);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.getBoolean("bench.quick");
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        new Benchmark(quick, out).run();
        System.exit(0);
    }

    /** One line of the table: a measurement, what it is compared with, and the target. */
    record Row(String scenario, int latencyMillis, boolean quota, Measurement measurement, Measurement baseline,
               String target, boolean met) {
    }

    Report run() throws Exception {
        Files.createDirectories(out);
        String machine = machine();
        LOG.info("Benchmark on {}", machine);
        HeapDrain heap;
        Map<String, Map<Integer, Double>> byLatency = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> byConcurrency = new LinkedHashMap<>();
        try (Emulated emulated = new Emulated()) {
            warmUp(emulated);
            mainTable(emulated);
            throughputAgainstLatency(emulated, byLatency);
            throughputAgainstConcurrency(emulated, byConcurrency);
            heap = heapWhileDraining(emulated, quick ? 5_000 : 100_000);
        }
        Report report = new Report(machine, rows, heap, byLatency, byConcurrency);
        report.write(out);
        System.out.println(report.markdown());
        return report;
    }

    /** Lets the JIT compile the SDK, the emulator and Camel before anything is measured, so that order does not count. */
    private void warmUp(Emulated emulated) throws Exception {
        Measurement.Settings warmUp = new Measurement.Settings(quick ? 300 : 3000, 1, quick ? 200 : 1000);
        Measurement.of("warm-up", Loads.rawSendLoop(emulated, 2), warmUp);
        Measurement.of("warm-up", Loads.producer(emulated, 2, ""), warmUp);
        Measurement.of("warm-up", Loads.consumer(emulated, "", quick ? 2_000 : 10_000), warmUp);
        // The Micrometer meters too, so that their first JIT compilation does not fall into the metrics rows.
        Measurement.of("warm-up", Loads.producer(emulated, 2, "", true), warmUp);
        Measurement.of("warm-up", Loads.consumer(emulated, "", quick ? 2_000 : 10_000, true), warmUp);
    }

    private void mainTable(Emulated emulated) throws Exception {
        int backlogFast = quick ? 10_000 : 80_000;
        int backlog = quick ? 5_000 : 30_000;

        emulated.quota(false);
        emulated.latency(0);
        Measurement rawSend0 = measure("raw SDK send loop, 1 thread", Loads.rawSendLoop(emulated, 1));
        row("raw SDK send loop, 1 thread (baseline)", 0, false, rawSend0, null, 0, 0);
        Measurement producer0 = measure("producer, 1 route thread", Loads.producer(emulated, 1, ""));
        row("producer, 1 route thread, one message per exchange", 0, false, producer0, rawSend0, 0.9, 0);
        Measurement rawConsume0 = measure("raw receive-then-ack loop", Loads.rawReceiveAckLoop(emulated, 5_000));
        row("raw receive-then-ack loop (baseline)", 0, false, rawConsume0, null, 0, 0);
        Measurement consumer0 = measure("consumer, defaults", Loads.consumer(emulated, "", backlogFast));
        row("consumer, defaults", 0, false, consumer0, rawConsume0, 0, 0);
        metricsCost(emulated, backlogFast);

        emulated.latency(20);
        Measurement rawSend20 = measure("raw SDK send loop, 1 thread", Loads.rawSendLoop(emulated, 1));
        row("raw SDK send loop, 1 thread (baseline)", 20, false, rawSend20, null, 0, 0);
        Measurement iterable20 = measure("producer, List of 1000", Loads.producerList(emulated, 1000, ""));
        row("producer, collection body of 1000, defaults", 20, false, iterable20, rawSend20, 20, 0);
        Measurement rawConsume20 = measure("raw receive-then-ack loop", Loads.rawReceiveAckLoop(emulated, 2_000));
        row("raw receive-then-ack loop (baseline)", 20, false, rawConsume20, null, 0, 0);
        Measurement consumer20 = measure("consumer, defaults", Loads.consumer(emulated, "", backlog));
        row("consumer, defaults", 20, false, consumer20, rawConsume20, 40, 0);
        Measurement tuned20 = measure("consumer, tuned", Loads.consumer(emulated, "&" + TUNED_CONSUMER, backlog));
        row("consumer, tuned (" + TUNED_CONSUMER.replace('&', ' ') + ")", 20, false, tuned20, rawConsume20, 40, 0);

        emulated.quota(true);
        Measurement quotaProducer = measure("producer, List, quota on",
                Loads.producerList(emulated, 1000, ""));
        row("producer, collection body of 1000, defaults", 20, true, quotaProducer, null, 0, 900);
        Measurement quotaConsumer = measure("consumer, quota on", Loads.consumer(emulated, "", backlog));
        row("consumer, defaults", 20, true, quotaConsumer, null, 0, 900);
        emulated.quota(false);
    }

    /**
     * What publishing the figures to Micrometer costs, at 0 ms where it weighs most: the same load with meters in a
     * registry and with metricsEnabled=false, measured in turn in this run, twice each, and the better of each kept
     * (other work on the machine only ever slows a measurement down). The counters behind JMX, the dev console and the
     * health details are always kept; they are part of both.
     */
    private void metricsCost(Emulated emulated, int backlog) throws Exception {
        Measurement producerOff = null;
        Measurement producerOn = null;
        Measurement consumerOff = null;
        Measurement consumerOn = null;
        // Without the client-side quota, which would hold both at 1000 calls/s and hide the cost.
        for (int round = 0; round < 2; round++) {
            producerOff = better(producerOff, measure("producer, metrics off",
                    Loads.producer(emulated, 1, UNLIMITED + "&metricsEnabled=false", false)));
            producerOn = better(producerOn, measure("producer, metrics on",
                    Loads.producer(emulated, 1, UNLIMITED, true)));
            consumerOff = better(consumerOff, measure("consumer, metrics off",
                    Loads.consumer(emulated, "&" + UNLIMITED + "&metricsEnabled=false", backlog, false)));
            consumerOn = better(consumerOn, measure("consumer, metrics on",
                    Loads.consumer(emulated, "&" + UNLIMITED, backlog, true)));
        }
        row("producer, 1 route thread, no quota, Micrometer meters on (baseline: metricsEnabled=false)", 0, false,
                producerOn, producerOff, METRICS_RATIO, 0);
        row("consumer, no quota, Micrometer meters on (baseline: metricsEnabled=false)", 0, false, consumerOn,
                consumerOff, METRICS_RATIO, 0);
    }

    private static Measurement better(Measurement kept, Measurement measured) {
        return kept == null || measured.median() > kept.median() ? measured : kept;
    }

    /** Metrics may cost at most 5 % of throughput. */
    static final double METRICS_RATIO = 0.95;
    private static final String UNLIMITED = "maxRequestsPerSecond=0";

    static final String TUNED_CONSUMER = "concurrentConsumers=2&maxMessagesPerPoll=100&maxAcksInFlight=64"
                                         + "&maxRequestsPerSecond=0";

    private void throughputAgainstLatency(Emulated emulated, Map<String, Map<Integer, Double>> series)
            throws Exception {
        int[] latencies = quick ? new int[] { 0, 20 } : new int[] { 0, 5, 10, 20, 50 };
        for (int latency : latencies) {
            emulated.latency(latency);
            put(series, "raw SDK send loop", latency, chartRate(Loads.rawSendLoop(emulated, 1)));
            // Without the client-side quota, to show what the component can do as latency grows.
            put(series, "producer, List of 1000", latency,
                    chartRate(Loads.producerList(emulated, 1000, "maxRequestsPerSecond=0")));
            put(series, "raw receive-then-ack loop", latency, chartRate(Loads.rawReceiveAckLoop(emulated, 2_000)));
            put(series, "consumer, other defaults", latency,
                    chartRate(Loads.consumer(emulated, "&maxRequestsPerSecond=0", quick ? 5_000 : 20_000)));
        }
    }

    private void throughputAgainstConcurrency(Emulated emulated, Map<String, Map<Integer, Double>> series)
            throws Exception {
        emulated.latency(20);
        int[] levels = quick ? new int[] { 1, 32 } : new int[] { 1, 2, 4, 8, 16, 32, 64 };
        for (int level : levels) {
            // Bodies of 200, so that the slowest level does not hold the next one up for long.
            put(series, "producer, List, maxSendsInFlight = x", level, chartRate(Loads.producerList(emulated,
                    200, "maxSendsInFlight=" + level + "&maxRequestsPerSecond=0")));
            put(series, "consumer, maxAcksInFlight = x", level, chartRate(Loads.consumer(emulated,
                    "&maxAcksInFlight=" + level + "&maxRequestsPerSecond=0", quick ? 5_000 : 20_000)));
        }
    }

    /** The heap, after each collection, while the consumer drains a backlog: flat if in-flight work is bounded. */
    record HeapDrain(int messages, double seconds, long heapBeforeMb, long heapPeakMb, long heapAfterMb) {
    }

    private HeapDrain heapWhileDraining(Emulated emulated, int messages) throws Exception {
        emulated.latency(0);
        String topic = emulated.newTopic();
        emulated.publish(topic, messages);
        System.gc();
        long before = heapAfterGcMb();
        long peak = before;
        long start = System.nanoTime();
        try (CamelContext camel = emulated.camel()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=heap&initialDelay=0&maxRequestsPerSecond=0")
                            .setHeader("seen", constant(true));
                }
            });
            camel.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (emulated.acked(topic, "heap") < messages && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(250);
                peak = Math.max(peak, heapAfterGcMb());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        return new HeapDrain(messages, seconds, before, peak, heapAfterGcMb());
    }

    /** The heap in use after the latest collection of each pool, the figure that grows when something leaks. */
    private static long heapAfterGcMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used / (1024 * 1024);
    }

    private Measurement measure(String name, Load load) throws Exception {
        Measurement measurement = Measurement.of(name, load, table);
        LOG.info("{}: {} msg/s (errors {})", name, String.format(Locale.ROOT, "%.0f", measurement.median()),
                measurement.errors());
        return measurement;
    }

    private double chartRate(Load load) throws Exception {
        return Measurement.of("chart", load, chart).median();
    }

    private void row(String scenario, int latency, boolean quota, Measurement measurement, Measurement baseline,
                     double ratioTarget, double rateTarget) {
        String target = "";
        boolean met = true;
        if (ratioTarget > 0) {
            target = "≥ " + (ratioTarget < 1 ? ratioTarget : (int) ratioTarget) + "× baseline";
            met = measurement.median() >= ratioTarget * baseline.median();
        } else if (rateTarget > 0) {
            target = "≥ " + (int) rateTarget + " msg/s, no error";
            met = measurement.median() >= rateTarget && measurement.errors() == 0;
        }
        rows.add(new Row(scenario, latency, quota, measurement, baseline, target, met));
    }

    private static void put(Map<String, Map<Integer, Double>> series, String name, int x, double rate) {
        series.computeIfAbsent(name, any -> new LinkedHashMap<>()).put(x, rate);
        LOG.info("chart {} @ {}: {} msg/s", name, x, String.format(Locale.ROOT, "%.0f", rate));
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (Exception e) {
            // not Linux: leave it unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java "
               + System.getProperty("java.version") + ", load average "
               + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
               + ", " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    }
}
