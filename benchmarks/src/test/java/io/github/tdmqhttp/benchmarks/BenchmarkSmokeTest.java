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

        assertThat(report.rows()).hasSize(13).allSatisfy(row -> assertThat(row.measurement().median()).isPositive());
        assertThat(report.byLatency()).hasSize(4);
        assertThat(report.byConcurrency()).hasSize(2);
        assertThat(report.heap().messages()).isEqualTo(5_000);
        assertThat(Files.readString(out.resolve(Report.TABLE))).contains("| consumer, defaults | 20 ms | off |")
                .contains("| consumer, no quota, Micrometer meters on (baseline: metricsEnabled=false) | 0 ms | off |");
        assertThat(Files.size(out.resolve(Report.CHART))).isPositive();
    }
}
