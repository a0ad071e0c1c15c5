package io.github.tdmqhttp.doctor;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: where it takes the configuration from, what it prints, and its exit codes. */
class DoctorMainTest {

    private static final String TOPIC = "pulsar-cli/default/orders";

    private static TdmqEmulator emulator;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startEmulator() {
        emulator = TdmqEmulator.builder().receiveWait(Duration.ofMillis(200)).topic(TOPIC, 2)
                .topic("pulsar-cli/default/plain", 0).build().start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.stop();
    }

    private int run(Map<String, String> environment, Properties system, String... args) {
        return Main.run(args, environment, system, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Properties keys() {
        Properties system = new Properties();
        system.setProperty("camel.component.tdmq-http.secret-id", emulator.secretId());
        system.setProperty("camel.component.tdmq-http.secret-key", emulator.secretKey());
        return system;
    }

    @Test
    void anEndpointUriWithTheEnvironmentPassesAndExitsZero() {
        int code = run(Map.of("TDMQ_REGION", emulator.region(), "TDMQ_ENDPOINT", emulator.endpoint()), keys(),
                "tdmq-http:" + TOPIC + "?subscription=cli-sub", "--send");

        assertThat(code).as(out()).isZero();
        assertThat(out()).contains("OK   topic: pulsar-cli/default/orders exists, is partitioned and its cluster"
                + " pulsar-cli is in region ap-guangzhou")
                .contains("OK   left behind: nothing: the doctor's one message was received back and acknowledged")
                .endsWith("tdmq-http doctor: no problem found" + System.lineSeparator())
                .doesNotContain(emulator.secretKey()).doesNotContain(emulator.secretId());
        assertThat(emulator.broker().subscriptionStats(TOPIC, "cli-sub").acked()).isEqualTo(1);
    }

    @Test
    void aPropertiesFileConfiguresTheComponentAndAFailedCheckExitsOne(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("application.properties");
        Files.writeString(file, String.join("\n",
                "camel.component.tdmq-http.region=" + emulator.region(),
                "camel.component.tdmq-http.endpoint=" + emulator.endpoint(),
                "camel.component.tdmq-http.secret-id=" + emulator.secretId(),
                "camel.component.tdmq-http.secret-key=" + emulator.secretKey(),
                "camel.component.tdmq-http.subscription=cli-sub"));

        int code = run(Map.of(), new Properties(), "--config", file.toString(), "--topic",
                "pulsar-cli/default/plain");

        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("FAIL topic: pulsar-cli/default/plain is not partitioned: ReceiveMessage works"
                + " on partitioned topics only (FailedOperation.TopicTypeError, RequestId ")
                .endsWith("tdmq-http doctor: 1 problem found" + System.lineSeparator());
    }

    @Test
    void jsonIsForScripts() {
        int code = run(Map.of("TDMQ_REGION", emulator.region(), "TDMQ_ENDPOINT", emulator.endpoint(),
                "TDMQ_TOPIC", TOPIC, "TDMQ_SUBSCRIPTION", "cli-json"), keys(), "--json", "--receive-only");

        assertThat(code).isZero();
        assertThat(out()).startsWith("{\"passed\":true,\"checks\":[{\"check\":\"endpoint\",\"status\":\"OK\"")
                .doesNotContain("action SendMessages")
                .contains("{\"check\":\"producer\",\"status\":\"SKIP\"");
    }

    @Test
    void aBadCommandLineExitsTwoWithTheUsage() {
        assertThat(run(Map.of(), new Properties(), "--measure-ack-timeout", "2m")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tdmq-http doctor: --measure-ack-timeout needs"
                + " --send: the doctor measures the redelivery of its own message only").contains("Usage:");
    }

    @Test
    void anUnknownOptionInThePropertiesIsNamed() {
        Properties system = keys();
        system.setProperty("camel.component.tdmq-http.regoin", "ap-guangzhou");

        assertThat(run(Map.of(), system)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("tdmq-http doctor: unknown tdmq-http options"
                + " [regoin]: see the component's option table" + System.lineSeparator());
    }
}
