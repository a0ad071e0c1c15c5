package io.github.tdmqhttp.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The chart's series: throughput as round trip grows, and as calls in flight grow, each point one short measurement. */
final class ChartRun {

    private static final Logger LOG = LoggerFactory.getLogger(ChartRun.class);

    private final boolean quick;
    private final Measurement.Settings chart;

    ChartRun(boolean quick, Measurement.Settings chart) {
        this.quick = quick;
        this.chart = chart;
    }

    void throughputAgainstLatency(Emulated emulated, Map<String, Map<Integer, Double>> series)
            throws Exception {
        int[] latencies = quick ? new int[] { 0, 20 } : new int[] { 0, 5, 10, 20, 50 };
        for (int latency : latencies) {
            emulated.latency(latency);
            put(series, "raw SDK send loop", latency, chartRate(Loads.rawSendLoop(emulated, 1)));
            // Without the client-side quota, to show what the component can do as latency grows.
            put(series, "producer, List of 1000", latency,
                    chartRate(Loads.producerList(emulated, 1000, "maxRequestsPerSecond=0")));
            put(series, "raw receive-then-ack loop", latency, chartRate(Loads.rawReceiveAckLoop(emulated,
                    latency == 0 ? 20_000 : 2_000)));
            put(series, "consumer, other defaults", latency,
                    chartRate(Loads.consumer(emulated, "&maxRequestsPerSecond=0", quick ? 5_000 : 20_000)));
        }
    }

    void throughputAgainstConcurrency(Emulated emulated, Map<String, Map<Integer, Double>> series)
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

    private double chartRate(Load load) throws Exception {
        return Measurement.of("chart", load, chart).rate();
    }

    private static void put(Map<String, Map<Integer, Double>> series, String name, int x, double rate) {
        series.computeIfAbsent(name, any -> new LinkedHashMap<>()).put(x, rate);
        LOG.info("chart {} @ {}: {} msg/s", name, x, String.format(Locale.ROOT, "%.0f", rate));
    }
}
