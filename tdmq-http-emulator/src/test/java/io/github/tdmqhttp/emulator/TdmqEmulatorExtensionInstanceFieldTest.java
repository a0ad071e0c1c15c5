package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension in an instance field: an emulator of its own for each test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TdmqTopic("pulsar-test/default/per-test")
class TdmqEmulatorExtensionInstanceFieldTest {

    private static TdmqEmulator previous;

    @RegisterExtension
    TdmqEmulatorExtension perTest = TdmqEmulatorExtension.withDefaults();

    @Test
    @Order(1)
    void startsAnEmulatorForTheTest() {
        assertThat(perTest.get().isRunning()).isTrue();
        assertThat(perTest.broker().topicStats("pulsar-test/default/per-test").partitions()).isEqualTo(1);
        previous = perTest.get();
    }

    @Test
    @Order(2)
    void stopsItAfterTheTest() {
        assertThat(previous.isRunning()).isFalse();
        assertThat(perTest.get()).isNotSameAs(previous);
        assertThat(perTest.get().isRunning()).isTrue();
        assertThat(perTest.broker().topicStats("pulsar-test/default/per-test").sent()).isZero();
    }
}
