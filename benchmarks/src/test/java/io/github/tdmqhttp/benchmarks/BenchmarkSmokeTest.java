package io.github.tdmqhttp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark runs end to end in its quick form and writes its report; speed is measured by running it, never
 * asserted by a test.
 */
class BenchmarkSmokeTest {

    @Test
    void theQuickBenchmarkMeasuresEveryScenarioAndWritesTheReport(@TempDir Path out) throws Exception {
        Report report = new Benchmark(true, out).run();

        assertThat(report.rows()).hasSize(23).allSatisfy(row -> assertThat(row.measurement().rate()).isPositive());
        assertThat(report.rows()).filteredOn(row -> row.scenario().startsWith("ten consumers on one component"))
                .singleElement().satisfies(row -> assertThat(row.scenario()).containsPattern("\\(\\d+ redelivered\\)"));
        assertThat(report.rows()).filteredOn(row -> row.scenario().contains("HTTPS"))
                .hasSize(4).allSatisfy(row -> assertThat(row.tlsPer1000Calls()).isGreaterThan(0));
        assertThat(report.latencies()).hasSize(2).allSatisfy(result -> assertThat(result.messages()).isPositive());
        assertThat(report.idleCallsPerSecond()).isPositive();
        assertThat(report.cpu()).hasSize(4).allSatisfy(row -> assertThat(row.componentLine().cpuNanos()).isPositive());
        assertThat(report.scaleOut().processed()).isEqualTo(report.scaleOut().messages());
        assertThat(report.byLatency()).hasSize(4);
        assertThat(report.byConcurrency()).hasSize(2);
        assertThat(report.heap().messages()).isEqualTo(5_000);
        assertThat(Files.readString(out.resolve(Report.TABLE))).contains("| consumer, defaults | 20 ms | off |")
                .contains("| consumer, no quota, Micrometer meters on (baseline: metricsEnabled=false) | 0 ms | off |")
                .contains("| consumer, no quota, messageFormat=CLOUDEVENTS (baseline: RAW) | 0 ms | off |")
                .contains("| consumer, exchangePerBatch=true (one exchange per receive), defaults | 20 ms | 1000/s |");
        assertThat(Files.size(out.resolve(Report.CHART))).isPositive();
    }
}
