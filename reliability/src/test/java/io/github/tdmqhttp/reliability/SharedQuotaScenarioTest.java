package io.github.tdmqhttp.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.tdmqhttp.camel.TdmqHttpConsumer;
import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorBuilder;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ten consumers on one component share the 1000/s quota of AcknowledgeMessage (and of ReceiveMessage), with 20 ms of
 * latency: each holds no more messages than its share of the acknowledgements settles before the deadline, so none is
 * processed twice. Before the bound, 3,796 of 15,000 messages were processed twice with a 5 s ack timeout.
 */
class SharedQuotaScenarioTest {

    static final int CONSUMERS = 10;
    static final int MESSAGES = Integer.getInteger("reliability.sharedQuotaMessages", 1500);
    static final int LONG_MESSAGES = Integer.getInteger("reliability.sharedQuotaLongMessages", 0);

    @Test
    void tenConsumersSharingTheQuotaProcessEveryMessageOnceWithAFiveSecondAckTimeout() throws Exception {
        run("12. Ten consumers on one component, 20 ms, quota on, 5 s ack timeout", MESSAGES, Duration.ofSeconds(5));
    }

    @Test
    @EnabledIfSystemProperty(named = "reliability.sharedQuotaLongMessages", matches = "[1-9][0-9]*")
    void tenConsumersSharingTheQuotaProcessEveryMessageOnceWithTheDefaultAckTimeout() throws Exception {
        run("12b. Ten consumers on one component, 20 ms, quota on, 30 s ack timeout (the default)", LONG_MESSAGES,
                Duration.ofSeconds(30));
    }

    private static void run(String scenario, int messages, Duration ackTimeout) throws Exception {
        // The service's quota of 1000 calls/s per action, on here although it is the emulator's default: Rig turns
        // it off for the other scenarios, and this one is about the quota. The topics' ack timeout is the consumers'.
        TdmqEmulatorBuilder builder = TdmqEmulator.builder().ackTimeout(ackTimeout).rateLimitOn()
                .receiveWait(Duration.ofMillis(300)).latency(Duration.ofMillis(20), Duration.ZERO);
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            builder.topic(topic(consumer));
        }
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        AtomicLong firstProcessed = new AtomicLong();
        try (TdmqEmulator emulator = builder.build().start();
             CamelContext camel = EmulatedTdmqHttp.context(emulator)) {
            camel.getShutdownStrategy().setTimeout(30);
            for (int consumer = 0; consumer < CONSUMERS; consumer++) {
                for (String payload : Rig.payloads("t" + consumer, messages)) {
                    emulator.publish(topic(consumer), payload);
                }
            }
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int consumer = 0; consumer < CONSUMERS; consumer++) {
                        from("tdmq-http:" + topic(consumer) + "?subscription=shared&initialDelay=0&ackTimeout="
                             + ackTimeout.toMillis()).process(exchange -> {
                                 firstProcessed.compareAndSet(0, System.nanoTime());
                                 processed.computeIfAbsent(exchange.getMessage().getBody(String.class),
                                         any -> new AtomicInteger()).incrementAndGet();
                             });
                    }
                }
            });
            long total = (long) CONSUMERS * messages;
            camel.start();
            await().atMost(Duration.ofSeconds(60 + total / 200)).pollInterval(Duration.ofMillis(200))
                    .until(() -> acked(emulator) == total);
            double seconds = (System.nanoTime() - firstProcessed.get()) / 1e9;
            long twice = processed.values().stream().filter(count -> count.get() > 1).count();
            long ackFailures = 0;
            long skipped = 0;
            for (org.apache.camel.Route route : camel.getRoutes()) {
                TdmqHttpConsumer consumer = (TdmqHttpConsumer) route.getConsumer();
                ackFailures += consumer.getAckFailureCount();
                skipped += consumer.getSkippedPastDeadlineCount();
            }
            long left = 0;
            long inFlight = 0;
            long redelivered = 0;
            for (int consumer = 0; consumer < CONSUMERS; consumer++) {
                SubscriptionStats stats = Rig.subscription(emulator, topic(consumer), "shared");
                left += stats.backlog();
                inFlight += stats.inFlight();
                redelivered += stats.redelivered();
            }
            Figures.add(new Figures.Row(scenario, total, total - processed.size(), twice, "—",
                    String.format("%d processed twice, %d left, %d redelivered by TDMQ (%d left unstarted for their"
                                  + " deadline, %d acknowledgements failed), %d acknowledgement calls throttled, %.0f"
                                  + " msg/s from the first message to the last acknowledgement", twice, left,
                            redelivered, skipped, ackFailures,
                            emulator.requestStats().get("AcknowledgeMessage").throttled(), total / seconds)));

            assertThat(twice).as("messages processed twice").isZero();
            assertThat(processed).hasSize((int) total);
            assertThat(left).as("messages left on the subscriptions").isZero();
            assertThat(inFlight).as("messages delivered and not acknowledged").isZero();
        }
    }

    private static long acked(TdmqEmulator emulator) {
        long acked = 0;
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            acked += Rig.subscription(emulator, topic(consumer), "shared").acked();
        }
        return acked;
    }

    private static String topic(int consumer) {
        return "pulsar-reliability/ns/shared-" + consumer;
    }
}
