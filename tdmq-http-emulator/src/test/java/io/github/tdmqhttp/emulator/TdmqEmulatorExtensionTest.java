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
class TdmqEmulatorExtensionTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(Duration.ofSeconds(7))
            .latency(Duration.ofMillis(1), Duration.ZERO));

    private static int firstPort;
    private static String keptTopic;

    @Test
    @Order(1)
    void startsTheEmulatorBeforeTheTestsAndResolvesItAsAParameter(TdmqEmulator running) throws Exception {
        assertThat(running).isSameAs(emulator.get());
        assertThat(running.isRunning()).isTrue();
        assertThat(emulator.settings().ackTimeout()).isEqualTo(Duration.ofSeconds(7));
        firstPort = emulator.port();
        keptTopic = Topics.unique("kept");
        Sdk.client(running).SendMessages(Sdk.send(keptTopic, "x"));
        emulator.faults().add(FaultRule.connectionReset()).latency(Duration.ofSeconds(3), Duration.ZERO);
    }

    @Test
    @Order(2)
    void keepsTheEmulatorAndItsTopicsButClearsFaultsBeforeEachTest() {
        assertThat(emulator.port()).isEqualTo(firstPort);
        assertThat(emulator.broker().topicStats(keptTopic).sent()).isEqualTo(1);
        assertThat(emulator.faults().rules()).isEmpty();
        // clear() restores the latency the emulator was built with.
        assertThat(emulator.faults().latency().fixed()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    @Order(3)
    void delegatesToTheEmulator() {
        assertThat(emulator.endpoint()).isEqualTo("http://127.0.0.1:" + emulator.port());
        assertThat(emulator.camelUri("a/b/c")).isEqualTo(emulator.get().camelUri("a/b/c"));
        assertThat(emulator.broker()).isSameAs(emulator.get().broker());
        assertThat(emulator.faults()).isSameAs(emulator.get().faults());
        assertThat(emulator.settings()).isSameAs(emulator.get().settings());
    }
}
