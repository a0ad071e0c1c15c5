package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The standalone command line, parsed and started in-process. */
class MainTest {

    private static TdmqEmulator started(String... args) throws Exception {
        return Main.start(Main.parse(args), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void appliesEveryOption() throws Exception {
        TdmqEmulator emulator = started("--port", "0", "--secret-id", "AKIDCLI", "--secret-key=cli-key", "--no-verify",
                "--strict-topics", "--topic", "pulsar-cli/ns/orders:3", "--topic", "pulsar-cli/ns/plain:0",
                "--ack-timeout", "2m", "--receive-wait", "500ms", "--rate-limit", "1000", "--max-response-bytes=65536", "--max-unacknowledged", "200",
                "--no-service-side-batching", "--latency", "5ms",
                "--jitter", "2ms");
        try {
            assertThat(emulator.port()).isPositive().isNotEqualTo(Main.DEFAULT_PORT);
            assertThat(emulator.secretId()).isEqualTo("AKIDCLI");
            assertThat(emulator.secretKey()).isEqualTo("cli-key");
            assertThat(emulator.settings().verifySignatures()).isFalse();
            assertThat(emulator.broker().autoCreateTopics()).isFalse();
            assertThat(emulator.broker().topicStats("pulsar-cli/ns/orders").partitions()).isEqualTo(3);
            assertThat(emulator.broker().topicStats("pulsar-cli/ns/plain").partitions()).isZero();
            assertThat(emulator.settings().ackTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(emulator.settings().receiveWait()).isEqualTo(Duration.ofMillis(500));
            assertThat(emulator.settings().rateLimit()).isEqualTo(1000);
            assertThat(emulator.settings().maxResponseBytes()).isEqualTo(65536);
            assertThat(emulator.settings().maxUnacknowledgedMessages()).isEqualTo(200);
            assertThat(emulator.settings().serviceSideBatching()).isFalse();
            assertThat(emulator.faults().latency().fixed()).isEqualTo(Duration.ofMillis(5));
            assertThat(emulator.faults().latency().jitter()).isEqualTo(Duration.ofMillis(2));
        } finally {
            emulator.stop();
        }
    }

    @Test
    void defaultsToPort9090AndTheDefaultCredentials() throws Exception {
        Main.CommandLine commandLine = Main.parse(new String[0]);
        TdmqEmulator emulator = commandLine.builder().build();

        assertThat(commandLine.help()).isFalse();
        assertThat(emulator.secretId()).isEqualTo(TdmqEmulator.DEFAULT_SECRET_ID);
        assertThat(emulator.secretKey()).isEqualTo(TdmqEmulator.DEFAULT_SECRET_KEY);
        assertThat(emulator.settings().verifySignatures()).isTrue();
        assertThat(emulator.settings().ackTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(emulator.settings().receiveWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(emulator.settings().maxUnacknowledgedMessages()).isEqualTo(5000);
        assertThat(emulator.settings().serviceSideBatching()).isTrue();
        assertThat(emulator.settings().maxResponseBytes()).isZero();
        assertThat(Main.DEFAULT_PORT).isEqualTo(9090);
    }

    @Test
    void printsTheEndpointCredentialsAdminUrlAndACamelUri() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TdmqEmulator emulator = Main.start(Main.parse(new String[] {"--port", "0", "--topic", "pulsar-cli/ns/demo"}),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            String banner = printed.toString(StandardCharsets.UTF_8);

            assertThat(banner).contains(emulator.endpoint())
                    .contains(TdmqEmulator.DEFAULT_SECRET_ID)
                    .contains(TdmqEmulator.DEFAULT_SECRET_KEY)
                    .contains(emulator.endpoint() + "/__admin/tdmq/stats")
                    .contains(emulator.camelUri("pulsar-cli/ns/demo"));
        } finally {
            emulator.stop();
        }
    }

    @Test
    void recognisesHelp() throws Exception {
        assertThat(Main.parse(new String[] {"--help"}).help()).isTrue();
        assertThat(Main.USAGE).contains("--port", "--secret-id", "--secret-key", "--no-verify", "--auto-create-topics",
                "--share-producer-names", "--topic", "--ack-timeout", "--receive-wait", "--rate-limit",
                "--max-response-bytes", "--max-unacknowledged", "--no-service-side-batching", "--first-ledger-id", "--latency", "--jitter", "--help");
    }

    @Test
    void refusesAnUnknownOptionNamingIt() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--colour", "blue"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--colour");
    }

    @Test
    void refusesABadDurationNamingTheOption() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--ack-timeout", "soon"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--ack-timeout").hasMessageContaining("5s");
        assertThatThrownBy(() -> Main.parse(new String[] {"--latency", "5"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--latency");
    }

    @Test
    void refusesABadPortNamingTheOption() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--port", "70000"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--port");
    }

    @Test
    void refusesAMissingValue() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--rate-limit"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--rate-limit");
    }

    @Test
    void refusesAMalformedTopic() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--topic", "ns/orders:2"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--topic");
        assertThatThrownBy(() -> Main.parse(new String[] {"--topic", "a/b/c:many"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--topic");
    }

    @Test
    void isAsStrictAsTheServiceUnlessALeniencyIsNamed() throws Exception {
        TdmqEmulator strict = Main.parse(new String[] {"--topic", "persistent://pulsar-cli/ns/declared:2"}).builder()
                .build();
        TdmqEmulator lenient = Main.parse(new String[] {"--auto-create-topics", "--rate-limit", "0",
                "--first-ledger-id", "71"}).builder().build();

        assertThat(strict.settings().rateLimit()).isEqualTo(1000);
        assertThat(strict.broker().autoCreateTopics()).isFalse();
        assertThat(strict.broker().topicStats("pulsar-cli/ns/declared").partitions()).isEqualTo(2);
        assertThat(lenient.settings().rateLimit()).isZero();
        assertThat(lenient.broker().autoCreateTopics()).isTrue();
        // Without --topic, the topic of the printed Camel URI is declared (first, so on ledger 71).
        assertThat(lenient.publish(Main.EXAMPLE_TOPIC, "x")).isEqualTo("71:0:0:0");
        assertThat(lenient.publish("pulsar-cli/ns/anything", "x")).isNotBlank();
    }

    @Test
    void refusesASecretIdThatIsNotAnApiKeys() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--secret-id", "local"}))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("AKID");
    }
}
