package io.github.tdmqhttp.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping an application with a busy consumer takes as long as the exchanges in flight, not Camel's whole shutdown
 * timeout: the consumer's count of pending exchanges returns to 0 however the stop meets the pollers.
 */
class TdmqHttpConsumerShutdownTest {

    private static final String TOPIC = "pulsar-shutdown/ns/busy";
    /** Far above what a stop should take, far below Camel's default of 45 s: a stop this long is the bug. */
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 20;
    private static final long EXCHANGE_MILLIS = 20;

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(Duration.ofSeconds(5)).receiveWait(Duration.ofMillis(200)));

    private static CamelContext busyContext(String options, CountDownLatch started) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(TOPIC) + "&subscription=busy&initialDelay=0&delay=10&ackTimeout=5000&"
                     + options).process(exchange -> started.countDown())
                        // The route's work.
                        .delay(EXCHANGE_MILLIS).syncDelayed();
            }
        });
        return context;
    }

    private static long stopMillis(String options, int rounds) throws Exception {
        long slowest = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 50; i++) {
                emulator.broker().publish(TOPIC, "round " + round + " message " + i);
            }
            CountDownLatch started = new CountDownLatch(1 + round % 7);
            CamelContext context = busyContext(options, started);
            context.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the route got messages").isTrue();
            long before = System.nanoTime();
            context.stop();
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before));
        }
        return slowest;
    }

    @Test
    void stoppingABusyConsumerNeverWaitsForTheShutdownTimeout() throws Exception {
        emulator.broker().createTopic(TOPIC, 1);
        List<Long> slowest = new ArrayList<>();
        slowest.add(stopMillis("maxMessagesPerPoll=32", 8));
        slowest.add(stopMillis("maxMessagesPerPoll=8&concurrentConsumers=3", 8));
        slowest.add(stopMillis("maxMessagesPerPoll=1&concurrentConsumers=2", 6));

        // Camel's shutdown checks pending exchanges once a second, so a stop that waits for an exchange takes 1 s.
        assertThat(slowest).as("the slowest stop of each kind, in ms").allMatch(millis -> millis < 5_000);
    }

    @Test
    void aReceiveThatTakesLongToAnswerDoesNotHoldTheStopAndItsMessagesAreLeftForRedelivery() throws Exception {
        String topic = TOPIC + "-slow-answer";
        emulator.broker().createTopic(topic, 1);
        CamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=stuck&initialDelay=0&delay=10").to("mock:never");
            }
        });
        long receives = emulator.get().requestStats().get("ReceiveMessage") == null ? 0
                : emulator.get().requestStats().get("ReceiveMessage").requests();
        // Every answer now takes 12 s, as from a server or proxy that holds the connection.
        emulator.faults().latency(Duration.ofSeconds(12), Duration.ZERO);
        emulator.broker().publish(topic, "arrives during the stop");
        context.start();
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> emulator.get().requestStats()
                .get("ReceiveMessage") != null
                && emulator.get().requestStats().get("ReceiveMessage").requests() > receives);

        long before = System.nanoTime();
        context.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        emulator.faults().clear();

        assertThat(stopMillis).as("stop while a receive waits for its answer, in ms").isLessThan(5_000);
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(emulator.broker().subscriptionStats(topic, "stuck").acked()).isZero();
            assertThat(emulator.broker().subscriptionStats(topic, "stuck").backlog()
                       + emulator.broker().subscriptionStats(topic, "stuck").inFlight()).isEqualTo(1);
        });
    }
}
