package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tdmqhttp.emulator.fault.FaultRule;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension in a static field: one emulator for the whole class. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TdmqTopic(TdmqEmulatorExtensionTest.KEPT_TOPIC)
@TdmqTopic(value = "persistent://pulsar-test/default/class-four", partitions = 4)
class TdmqEmulatorExtensionTest {

    static final String KEPT_TOPIC = "pulsar-test/default/kept";

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(Duration.ofSeconds(7))
            .latency(Duration.ofMillis(1), Duration.ZERO));

    private static int firstPort;

    @Test
    @Order(1)
    void startsTheEmulatorBeforeTheTestsAndResolvesItAsAParameter(TdmqEmulator running) throws Exception {
        assertThat(running).isSameAs(emulator.get());
        assertThat(running.isRunning()).isTrue();
        assertThat(emulator.settings().ackTimeout()).isEqualTo(Duration.ofSeconds(7));
        firstPort = emulator.port();
        Sdk.client(running).SendMessages(Sdk.send(KEPT_TOPIC, "x"));
        emulator.faults().add(FaultRule.connectionReset()).latency(Duration.ofSeconds(3), Duration.ZERO);
    }

    @Test
    @Order(2)
    void keepsTheEmulatorAndItsTopicsButClearsFaultsBeforeEachTest() {
        assertThat(emulator.port()).isEqualTo(firstPort);
        assertThat(emulator.broker().topicStats(KEPT_TOPIC).sent()).isEqualTo(1);
        assertThat(emulator.faults().rules()).isEmpty();
        // clear() restores the latency the emulator was built with.
        assertThat(emulator.faults().latency().fixed()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    @Order(3)
    @TdmqTopic(value = "pulsar-test/default/method-three", partitions = 3)
    void declaresTheTopicsOfItsAnnotationsOnTheClassAndTheMethod() {
        assertThat(emulator.broker().topicStats("pulsar-test/default/class-four").partitions()).isEqualTo(4);
        assertThat(emulator.broker().topicStats("pulsar-test/default/method-three").partitions()).isEqualTo(3);
    }

    @Test
    @Order(4)
    void delegatesToTheEmulator() {
        assertThat(emulator.endpoint()).isEqualTo("http://127.0.0.1:" + emulator.port());
        assertThat(emulator.camelUri("a/b/c")).isEqualTo(emulator.get().camelUri("a/b/c"));
        assertThat(emulator.broker()).isSameAs(emulator.get().broker());
        assertThat(emulator.publish(KEPT_TOPIC, "y")).endsWith(":1:0:0");
        assertThat(emulator.faults()).isSameAs(emulator.get().faults());
        assertThat(emulator.settings()).isSameAs(emulator.get().settings());
    }
}
