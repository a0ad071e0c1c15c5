package io.github.tdmqhttp.examples.javadsl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Java DSL example end to end on the emulator: every order of every batch is received and acknowledged. */
class JavaDslExampleTest {

    private static final String TOPIC = "pulsar-demo/default/java-dsl-test";

    @Test
    void everyOrderOfEveryBatchIsReceivedAndAcknowledged() throws Exception {
        int orders = JavaDslExample.BATCHES * JavaDslExample.ORDERS_PER_BATCH;
        CountDownLatch received = new CountDownLatch(orders);
        try (TdmqEmulator emulator = TdmqEmulator.builder().topic(TOPIC).build().start()) {
            TdmqHttpConfiguration connection = new TdmqHttpConfiguration();
            JavaDslExample.useEmulator(connection, emulator);
            try (CamelContext camel = JavaDslExample.start(connection, TOPIC, received)) {
                assertThat(received.await(60, TimeUnit.SECONDS)).isTrue();
                await().atMost(10, TimeUnit.SECONDS)
                        .until(() -> emulator.broker().subscriptionStats(TOPIC, "java-example").acked() == orders);
                assertThat(emulator.broker().topicStats(TOPIC).sent()).isEqualTo(orders);
                assertThat(emulator.broker().subscriptionStats(TOPIC, "java-example").redelivered()).isZero();
            }
        }
    }
}
