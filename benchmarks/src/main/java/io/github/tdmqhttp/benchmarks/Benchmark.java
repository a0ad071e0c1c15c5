package io.github.tdmqhttp.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the component against the raw SDK loops of the official demo, on the emulator, at 0 to 100 ms of server
 * latency, with TDMQ's 1000 requests/s quota off or on, over HTTP and HTTPS, and writes a table of messages/s with the
 * ratios to the baseline and the TLS connections opened, the latency from send to route, the CPU time per message next
 * to the raw SDK's (in a JVM of its own), several consumer processes on one subscription, a chart of throughput
 * against latency and concurrency, and the heap while a large backlog drains.
 * <p>
 * {@code -Dbench.quick=true} runs a short version (seconds, not minutes); {@code -Dbench.out=dir} chooses where the
 * report goes (default {@code target/benchmark}).
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    /** The rates of the CPU probe: a light load, where the cost of waking threads weighs most, and half the quota. */
    static final List<Integer> CPU_RATES = List.of(150, 500);
    /** The rate the CPU target is judged at: CPU matters under load, and the raw loop keeps up with it at 0 ms. */
    static final int CPU_TARGET_RATE = 500;

    private final boolean quick;
    private final Measurement.Settings table;
    private final Measurement.Settings chart;
    private final Path out;
    private final Set<String> only;
    private final List<Row> rows = new ArrayList<>();
    private final List<LatencyProbe.Result> latencies = new ArrayList<>();
    private final List<CpuRow> cpu = new ArrayList<>();
    private double idleCallsPerSecond;
    private ScaleOut scaleOut;

    Benchmark(boolean quick, Path out) {
        this(quick, out, "");
    }

    /**
     * @param only the parts to run, comma-separated (table, https, latency, cpu, scaleout, chart, heap;
     *             sharedquota: the table's rows of consumers at 20 ms with the quota on, one alone, ten on one
     *             component and one with exchangePerBatch; envelope: the table's CloudEvents rows), or empty for all
     *             of them: for working on one figure; the README's figures come from a run of all
     */
    Benchmark(boolean quick, Path out, String only) {
        this.quick = quick;
        this.out = out;
        this.only = only.isBlank() ? Set.of() : Set.of(only.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
        this.table = quick ? new Measurement.Settings(300, 1, 700) : new Measurement.Settings(2000, 3, 4000);
        this.chart = quick ? new Measurement.Settings(200, 1, 400) : new Measurement.Settings(1000, 1, 2500);
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.getBoolean("bench.quick");
        Path out = Path.of(System.getProperty("bench.out", "target/benchmark"));
        new Benchmark(quick, out, System.getProperty("bench.only", "")).run();
        System.exit(0);
    }

    /**
     * One line of the table: a measurement, what it is compared with, and the target; over HTTPS, how many TLS
     * connections the server accepted per 1,000 calls (-1 over HTTP).
     */
    record Row(String scenario, int latencyMillis, boolean quota, Measurement measurement, Measurement baseline,
               String target, boolean met, double tlsPer1000Calls) {
    }

    /** The CPU time of the component and of the raw SDK doing the same work at the same rate, per message and call. */
    record CpuRow(String component, String baseline, CpuProbe.Line componentLine, CpuProbe.Line baselineLine,
                  boolean judged, boolean met) {
    }

    /**
     * Consumer processes on one subscription: messages processed, processed more than once, processed by two
     * processes at the same time, and the rate of one process and of several.
     */
    record ScaleOut(int processes, int messages, long processed, long processedTwice, long overlapping,
                    double oneProcessRate, double allProcessesRate, long workMillis) {
    }

    Report run() throws Exception {
        Files.createDirectories(out);
        String machine = machine();
        LOG.info("Benchmark on {}", machine);
        HeapProbe.HeapDrain heap;
        Map<String, Map<Integer, Double>> byLatency = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> byConcurrency = new LinkedHashMap<>();
        try (Emulated emulated = new Emulated()) {
            warmUp(emulated);
            if (runs("table")) {
                mainTable(emulated);
            }
            if (!runs("table") && only.contains("envelope")) {
                // Part of the table, so never run twice.
                emulated.quota(false);
                emulated.latency(0);
                envelopeCost(emulated, quick ? 20_000 : 200_000);
            }
            if (!runs("table") && only.contains("sharedquota")) {
                // Part of the table, so never run twice.
                emulated.quota(true);
                emulated.latency(20);
                quotaConsumerRows(emulated, 20, quick ? 5_000 : 30_000);
                emulated.quota(false);
            }
            if (runs("https")) {
                httpsRows(emulated);
            }
            if (runs("latency")) {
                latency(emulated);
            }
            if (runs("cpu")) {
                cpu(emulated);
            }
            if (runs("scaleout")) {
                scaleOut = ScaleOutRun.run(emulated, quick);
            }
            if (runs("chart")) {
                ChartRun chartRun = new ChartRun(quick, chart);
                chartRun.throughputAgainstLatency(emulated, byLatency);
                chartRun.throughputAgainstConcurrency(emulated, byConcurrency);
            }
            heap = runs("heap") ? HeapProbe.whileDraining(emulated, quick ? 5_000 : 100_000) : null;
        }
        Report report = new Report(machine, rows, heap, byLatency, byConcurrency, latencies, idleCallsPerSecond, cpu,
                scaleOut);
        report.write(out);
        System.out.println(report.markdown());
        return report;
    }

    private boolean runs(String part) {
        return only.isEmpty() || only.contains(part);
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
        // The unthrottled consumer takes up to about 10,000 msg/s here: enough for the warm-up and all rounds of a
        // row (with 80,000 its last rounds found the topic empty and counted 0).
        int backlogFast = quick ? 20_000 : 200_000;
        int backlog = quick ? 5_000 : 30_000;

        emulated.quota(false);
        emulated.latency(0);
        Measurement rawSend0 = measure("raw SDK send loop, 1 thread", Loads.rawSendLoop(emulated, 1));
        row("raw SDK send loop, 1 thread (baseline)", 0, false, rawSend0, null, 0, 0);
        // Without the client-side quota, which would cap the component at 1000 calls a second and the raw loop not.
        Measurement producer0 = measure("producer, 1 route thread", Loads.producer(emulated, 1,
                "maxRequestsPerSecond=0"));
        row("producer, 1 route thread, one message per exchange (maxRequestsPerSecond=0)", 0, false, producer0,
                rawSend0, 0.9, 0);
        // Enough for the whole measurement: a warm JVM runs this loop at a few thousand a second.
        Measurement rawConsume0 = measure("raw receive-then-ack loop", Loads.rawReceiveAckLoop(emulated,
                quick ? 5_000 : 60_000));
        row("raw receive-then-ack loop (baseline)", 0, false, rawConsume0, null, 0, 0);
        Measurement consumer0 = measure("consumer, defaults", Loads.consumer(emulated, "", backlogFast));
        row("consumer, defaults", 0, false, consumer0, rawConsume0, 0, 0);
        metricsCost(emulated, backlogFast);
        envelopeCost(emulated, backlogFast);

        emulated.latency(20);
        Measurement rawSend20 = measure("raw SDK send loop, 1 thread", Loads.rawSendLoop(emulated, 1));
        row("raw SDK send loop, 1 thread (baseline)", 20, false, rawSend20, null, 0, 0);
        Measurement iterable20 = measure("producer, List of 1000", Loads.producerList(emulated, 1000, ""));
        row("producer, collection body of 1000, defaults", 20, false, iterable20, rawSend20, 20, 0);
        Measurement rawConsume20 = measure("raw receive-then-ack loop", Loads.rawReceiveAckLoop(emulated, 2_000));
        row("raw receive-then-ack loop (baseline)", 20, false, rawConsume20, null, 0, 0);
        Measurement consumer20 = measure("consumer, defaults", Loads.consumer(emulated, "", backlog));
        row("consumer, defaults", 20, false, consumer20, rawConsume20, 40, 0);
        // The tuned consumer makes about 3,000 msg/s: 30,000 messages ran out in its last round, which counted 0.
        Measurement tuned20 = measure("consumer, tuned", Loads.consumer(emulated, "&" + TUNED_CONSUMER, 2 * backlog));
        row("consumer, tuned (" + TUNED_CONSUMER.replace('&', ' ') + ")", 20, false, tuned20, rawConsume20, 40, 0);

        emulated.quota(true);
        for (int latency : quick ? new int[] { 20, 100 } : new int[] { 20, 50, 100 }) {
            emulated.latency(latency);
            Measurement quotaProducer = measure("producer, List, quota on, " + latency + " ms",
                    Loads.producerList(emulated, 1000, ""));
            row("producer, collection body of 1000, defaults", latency, true, quotaProducer, null, 0, 900);
            quotaConsumerRows(emulated, latency, backlog);
        }
        emulated.quota(false);
    }

    /** The consumer with the quota on, and at 20 ms the ten consumers sharing it, to be read next to the one. */
    private void quotaConsumerRows(Emulated emulated, int latency, int backlog) throws Exception {
        Measurement quotaConsumer = measure("consumer, quota on, " + latency + " ms",
                Loads.consumer(emulated, "", backlog));
        row("consumer, defaults", latency, true, quotaConsumer, null, 0, 900);
        if (latency == 20) {
            sharedQuota(emulated, latency);
            Measurement batches = measure("consumer, exchangePerBatch, quota on, " + latency + " ms",
                    Loads.consumer(emulated, "&exchangePerBatch=true", backlog));
            row("consumer, exchangePerBatch=true (one exchange per receive), defaults", latency, true, batches, null,
                    0, 900);
        }
    }

    /**
     * Ten consumers on one component, next to the one consumer of the row before: they share the 1000/s quota of
     * AcknowledgeMessage, with a 5 s ack timeout, and none may hold more than its share settles in time. The row names
     * the redeliveries the emulator made, which would be processed twice.
     */
    private void sharedQuota(Emulated emulated, int latency) throws Exception {
        int consumers = 10;
        Loads.SharedConsumers load = Loads.sharedQuotaConsumers(emulated, consumers, quick ? 600 : 2_000,
                Duration.ofSeconds(5));
        Measurement shared = measure("ten consumers sharing the quota, " + latency + " ms", load);
        row("ten consumers on one component, 5 s ack timeout, all together (" + load.redelivered()
            + " redelivered)", latency, true, shared, null, 0, 900);
    }

    /**
     * What publishing the figures to Micrometer costs, at 0 ms where it weighs most: the same load with meters in a
     * registry and with metricsEnabled=false, measured in turn in this run, four times each (twice in the quick
     * run), and the best of each kept (other work on the machine only ever slows a measurement down; the unthrottled
     * consumer, bound by this machine's CPU, moves by a quarter from one measurement to the next). The counters behind JMX, the dev console and the
     * health details are always kept; they are part of both.
     */
    private void metricsCost(Emulated emulated, int backlog) throws Exception {
        Measurement producerOff = null;
        Measurement producerOn = null;
        Measurement consumerOff = null;
        Measurement consumerOn = null;
        // Without the client-side quota, which would hold both at 1000 calls/s and hide the cost.
        for (int round = 0; round < (quick ? 2 : 4); round++) {
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

    /**
     * What the CloudEvents envelope costs, at 0 ms where it weighs most: the producer wrapping and the consumer
     * unwrapping (a backlog of CloudEvents), next to the same loads with raw payloads, measured in turn, best of
     * rounds as for the metrics.
     */
    private void envelopeCost(Emulated emulated, int backlog) throws Exception {
        Measurement producerRaw = null;
        Measurement producerEnvelope = null;
        Measurement consumerRaw = null;
        Measurement consumerEnvelope = null;
        for (int round = 0; round < (quick ? 2 : 4); round++) {
            producerRaw = better(producerRaw, measure("producer, raw",
                    Loads.producer(emulated, 1, UNLIMITED, false)));
            producerEnvelope = better(producerEnvelope, measure("producer, CloudEvents",
                    Loads.producer(emulated, 1, UNLIMITED + "&messageFormat=CLOUDEVENTS", false)));
            consumerRaw = better(consumerRaw, measure("consumer, raw",
                    Loads.consumer(emulated, "&" + UNLIMITED, backlog, false)));
            consumerEnvelope = better(consumerEnvelope, measure("consumer, CloudEvents",
                    Loads.consumer(emulated, "&" + UNLIMITED + "&messageFormat=CLOUDEVENTS", backlog, false,
                            Loads.ENVELOPE)));
        }
        row("producer, 1 route thread, no quota, messageFormat=CLOUDEVENTS (baseline: RAW)", 0, false,
                producerEnvelope, producerRaw, ENVELOPE_RATIO, 0);
        row("consumer, no quota, messageFormat=CLOUDEVENTS (baseline: RAW)", 0, false, consumerEnvelope,
                consumerRaw, ENVELOPE_RATIO, 0);
    }

    /** The envelope may cost at most 10 % of throughput. */
    static final double ENVELOPE_RATIO = 0.9;

    private static Measurement better(Measurement kept, Measurement measured) {
        return kept == null || measured.rate() > kept.rate() ? measured : kept;
    }

    /** Metrics may cost at most 5 % of throughput. */
    static final double METRICS_RATIO = 0.95;
    private static final String UNLIMITED = "maxRequestsPerSecond=0";

    /**
     * The quota scenarios over HTTPS, with the TLS connections the server accepted per 1,000 calls: the SDK's shared
     * pool keeps 5 idle connections, so many calls in flight may open new ones as they finish.
     */
    private void httpsRows(Emulated emulated) throws Exception {
        int backlog = quick ? 5_000 : 30_000;
        emulated.quota(true);
        emulated.tls(true);
        try {
            // The first TLS connections of the JVM load and compile the TLS code: not what a row should show. Both
            // loads, at a round trip, long enough for the JIT (measured: the first row 3 % lower without).
            emulated.latency(20);
            Measurement.of("warm-up", Loads.producerList(emulated, 1000, ""),
                    new Measurement.Settings(quick ? 1000 : 8000, 1, 200));
            Measurement.of("warm-up", Loads.consumer(emulated, "", backlog),
                    new Measurement.Settings(quick ? 500 : 4000, 1, 200));
            for (int latency : quick ? new int[] { 20 } : new int[] { 20, 50 }) {
                emulated.latency(latency);
                tlsRow("producer, collection body of 1000, defaults, over HTTPS", latency,
                        () -> Loads.producerList(emulated, 1000, ""), emulated);
                tlsRow("consumer, defaults, over HTTPS", latency, () -> Loads.consumer(emulated, "", backlog),
                        emulated);
            }
            emulated.latency(20);
            tlsRow("producer, collection body of 1000, maxSendsInFlight=64, over HTTPS", 20,
                    () -> Loads.producerList(emulated, 1000, "maxSendsInFlight=64"), emulated);
            // Two route threads: while one waits for the last calls of its list, the other's keep the connections.
            emulated.latency(quick ? 20 : 50);
            tlsRow("producer, collection body of 1000, 2 route threads, over HTTPS", quick ? 20 : 50,
                    () -> Loads.producerList(emulated, 1000, "", 2), emulated);
        } finally {
            emulated.tls(false);
            emulated.quota(false);
        }
    }

    interface LoadFactory {
        Load create() throws Exception;
    }

    private void tlsRow(String scenario, int latency, LoadFactory load, Emulated emulated) throws Exception {
        long connections = emulated.tlsConnections();
        long calls = emulated.requests();
        Measurement measurement = measure(scenario, load.create());
        double per1000 = 1000.0 * (emulated.tlsConnections() - connections) / Math.max(1, emulated.requests() - calls);
        rows.add(new Row(scenario, latency, true, measurement, null, "≥ 900 msg/s, no error",
                measurement.rate() >= 900 && measurement.errors() == 0, per1000));
    }

    /** Send-to-route latency at a quiet and a busy rate, and what an idle consumer costs. */
    private void latency(Emulated emulated) throws Exception {
        emulated.quota(true);
        int seconds = quick ? 2 : 10;
        try {
            for (int latency : quick ? new int[] { 20 } : new int[] { 20, 50 }) {
                emulated.latency(latency);
                for (int perSecond : new int[] { 10, 900 }) {
                    LatencyProbe.Result result = LatencyProbe.measure(emulated, perSecond, seconds, latency);
                    LOG.info("latency at {} msg/s, {} ms: p50 {} ms, p99 {} ms ({} messages, errors {})", perSecond,
                            latency, String.format(Locale.ROOT, "%.0f", result.p50()),
                            String.format(Locale.ROOT, "%.0f", result.p99()), result.messages(), result.errors());
                    latencies.add(result);
                }
            }
            emulated.latency(20);
            idleCallsPerSecond = LatencyProbe.idleCallsPerSecond(emulated, quick ? 2 : 10);
            LOG.info("idle consumer: {} ReceiveMessage calls/s", String.format(Locale.ROOT, "%.1f",
                    idleCallsPerSecond));
        } finally {
            emulated.quota(false);
        }
    }

    /**
     * CPU time per message and per call, component next to the raw SDK at the same rate, in a JVM of its own: at a
     * light load and at half the quota, the load the target is judged at.
     */
    private void cpu(Emulated emulated) throws Exception {
        emulated.latency(0);
        int seconds = Integer.getInteger("bench.cpu.seconds", quick ? 1 : 5);
        int rounds = Integer.getInteger("bench.cpu.rounds", quick ? 1 : 3);
        String sendTopic = emulated.newTopic();
        String rawTopic = emulated.newTopic();
        String componentTopic = emulated.newTopic();
        int warmUp = quick ? 1_000 : 15_000;
        // A window in which the JIT compiled is measured again, up to three times (once in the quick run): the
        // backlog allows for it.
        int windows = quick ? 1 : 3;
        int backlog = warmUp + 1000
                      + CPU_RATES.stream().mapToInt(rate -> rate * (windows * seconds + 1) * (rounds + 1)).sum();
        emulated.publish(rawTopic, backlog);
        emulated.publish(componentTopic, backlog + (CpuProbe.CONSUMER_WARM_UP_FACTOR - 1) * warmUp);
        Path output = Files.createTempFile("tdmq-cpu-probe", ".txt");
        Process probe = ChildJvm.start(CpuProbe.class, output, String.valueOf(emulated.emulator().port()),
                emulated.emulator().secretId(), emulated.emulator().secretKey(), sendTopic, rawTopic, componentTopic,
                CPU_RATES.stream().map(String::valueOf).collect(Collectors.joining(",")), String.valueOf(seconds),
                String.valueOf(rounds), String.valueOf(warmUp), String.valueOf(windows));
        if (!probe.waitFor(10, TimeUnit.MINUTES)) {
            probe.destroyForcibly();
            throw new IllegalStateException("The CPU probe did not finish: " + Files.readString(output));
        }
        List<CpuProbe.Line> lines = CpuProbe.Line.parse(Files.readAllLines(output));
        if (lines.isEmpty()) {
            throw new IllegalStateException("The CPU probe measured nothing: " + Files.readString(output));
        }
        Files.deleteIfExists(output);
        lines.forEach(line -> LOG.info("CPU window at {} msg/s: {}, {} messages, {} calls, {} µs per call, JIT"
                                       + " compiled {} ms", line.perSecond(), line.load(), line.messages(),
                line.calls(), String.format(Locale.ROOT, "%.0f", line.microsPerCall()), line.compileMillis()));
        for (int rate : CPU_RATES) {
            List<CpuProbe.Line> atRate = lines.stream().filter(line -> line.perSecond() == rate).toList();
            cpuRow(atRate, "producer, one message per exchange", "raw SDK send loop", rate == CPU_TARGET_RATE);
            cpuRow(atRate, "consumer, one receive per batch", "raw receive-then-ack loop", rate == CPU_TARGET_RATE);
        }
    }

    private void cpuRow(List<CpuProbe.Line> lines, String component, String baseline, boolean judged) {
        CpuProbe.Line ours = median(lines, component);
        CpuProbe.Line raw = median(lines, baseline);
        boolean met = ours.microsPerCall() <= 1.3 * raw.microsPerCall();
        cpu.add(new CpuRow(component, baseline, ours, raw, judged, met));
        LOG.info("CPU at {} msg/s, {}: {} µs/message, {} µs/call; {}: {} µs/message, {} µs/call", ours.perSecond(),
                component, String.format(Locale.ROOT, "%.0f", ours.microsPerMessage()),
                String.format(Locale.ROOT, "%.0f", ours.microsPerCall()), baseline,
                String.format(Locale.ROOT, "%.0f", raw.microsPerMessage()),
                String.format(Locale.ROOT, "%.0f", raw.microsPerCall()));
    }

    /** The round with the median CPU per call, of those of one load. */
    private static CpuProbe.Line median(List<CpuProbe.Line> lines, String load) {
        List<CpuProbe.Line> sorted = lines.stream().filter(line -> line.load().equals(load))
                .sorted(java.util.Comparator.comparingDouble(CpuProbe.Line::microsPerCall)).toList();
        if (sorted.isEmpty()) {
            throw new IllegalStateException("The CPU probe did not measure " + load);
        }
        return sorted.get(sorted.size() / 2);
    }

    static final String TUNED_CONSUMER = "concurrentConsumers=2&maxMessagesPerPoll=100&maxAcksInFlight=64"
                                         + "&maxRequestsPerSecond=0";

    private Measurement measure(String name, Load load) throws Exception {
        Measurement measurement = Measurement.of(name, load, table);
        LOG.info("{}: {} msg/s (errors {})", name, String.format(Locale.ROOT, "%.0f", measurement.rate()),
                measurement.errors());
        return measurement;
    }

    private void row(String scenario, int latency, boolean quota, Measurement measurement, Measurement baseline,
                     double ratioTarget, double rateTarget) {
        String target = "";
        boolean met = true;
        if (ratioTarget > 0) {
            target = "≥ " + (ratioTarget < 1 ? ratioTarget : (int) ratioTarget) + "× baseline";
            met = measurement.rate() >= ratioTarget * baseline.rate();
        } else if (rateTarget > 0) {
            target = "≥ " + (int) rateTarget + " msg/s, no error";
            met = measurement.rate() >= rateTarget && measurement.errors() == 0;
        }
        rows.add(new Row(scenario, latency, quota, measurement, baseline, target, met, -1));
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
