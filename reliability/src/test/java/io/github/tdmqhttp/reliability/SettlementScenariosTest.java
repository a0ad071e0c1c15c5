package io.github.tdmqhttp.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpReceipt;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How messages are settled when the calls that settle them fail: a dead letter whose acknowledgement fails is moved
 * once and processed no more, and a redelivered message keeps its id whichever receive brings it back.
 */
class SettlementScenariosTest {

    static final int DEAD_LETTERS = Integer.getInteger("reliability.deadLetters", 10);
    static final int REDELIVERED = Integer.getInteger("reliability.redelivered", 100);
    private static final String ACK_TIMEOUT = "ackTimeout=" + Rig.ACK_TIMEOUT.toMillis();

    @Test
    void aDeadLetterWhoseAcknowledgementFailsIsMovedOnceAndNotProcessedAgain() throws Exception {
        String topic = "pulsar-reliability/ns/dead-once";
        String deadLetterTopic = topic + "-once-DLQ";
        List<String> payloads = Rig.payloads("dead-once", DEAD_LETTERS);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        try (TdmqEmulator emulator = Rig.emulator(topic, deadLetterTopic);
             CamelContext camel = Rig.camel(emulator, "dead-once")) {
            payloads.forEach(payload -> emulator.publish(topic, payload));
            // Every acknowledgement fails until each message is in the dead letter topic: the move works, the
            // acknowledgement after it does not, and every message comes back after the ack timeout.
            emulator.faults().add(FaultRule.errorCode("FailedOperation.MessageIDError", "ack error")
                    .forAction("AcknowledgeMessage"));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=once&maxDeliveries=2&initialDelay=0&delay=50&"
                         + ACK_TIMEOUT).routeId("dead-once").process(exchange -> {
                             attempts.computeIfAbsent(exchange.getMessage().getBody(String.class),
                                     any -> new AtomicInteger()).incrementAndGet();
                             throw new IllegalStateException("the route cannot process it");
                         });
                }
            });
            camel.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> Rig.stored(emulator, deadLetterTopic) >= DEAD_LETTERS);
            emulator.faults().clear();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(
                    () -> Rig.subscription(emulator, topic, "once").acked() == DEAD_LETTERS
                          && Rig.subscription(emulator, topic, "once").inFlight() == 0);
            SubscriptionStats stats = Rig.subscription(emulator, topic, "once");
            long moved = Rig.stored(emulator, deadLetterTopic);
            long processedAfterTheMove = attempts.values().stream().mapToLong(count -> count.get() - 2L).sum();
            Figures.add(new Figures.Row("14. Dead letters whose acknowledgement fails after the move (injected),"
                                        + " maxDeliveries=2", DEAD_LETTERS, DEAD_LETTERS - stats.acked(),
                    moved - DEAD_LETTERS, "—",
                    String.format("%d in the dead letter topic, %d processed after their move, %d redelivered after"
                                  + " the failed acknowledgement and then acknowledged, %.0f s", moved,
                            processedAfterTheMove, stats.redelivered() - DEAD_LETTERS,
                            (System.nanoTime() - started) / 1e9)));

            assertThat(moved).as("moved once each").isEqualTo(DEAD_LETTERS);
            assertThat(attempts).hasSize(DEAD_LETTERS)
                    .allSatisfy((payload, count) -> assertThat(count).as(payload).hasValue(2));
            assertThat(stats.acked()).isEqualTo(DEAD_LETTERS);
            assertThat(stats.backlog()).isZero();
        }
    }

    @Test
    void aRedeliveredMessageKeepsItsIdWhicheverReceiveBringsItBack() throws Exception {
        String topic = "pulsar-reliability/ns/ids";
        List<String> payloads = Rig.payloads("ids", REDELIVERED);
        Map<String, Set<String>> headerIds = new ConcurrentHashMap<>();
        Map<String, Set<String>> receivedIds = new ConcurrentHashMap<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext camel = Rig.camel(emulator, "ids")) {
            payloads.forEach(payload -> emulator.publish(topic, payload));
            org.apache.camel.Processor record = exchange -> {
                String body = exchange.getMessage().getBody(String.class);
                String header = exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class);
                assertThat(exchange.getMessage().getMessageId()).isEqualTo(header);
                headerIds.computeIfAbsent(body, any -> ConcurrentHashMap.newKeySet()).add(header);
                Set<String> forms = receivedIds.computeIfAbsent(body, any -> ConcurrentHashMap.newKeySet());
                boolean first = forms.isEmpty();
                forms.add(exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, TdmqHttpReceipt.class).messageId());
                if (first) {
                    throw new IllegalStateException("the first delivery fails");
                }
                processed.add(body);
            };
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // The first deliveries go to a consumer that receives in batches (four-part ids), the second
                    // ones to a consumer that receives one message per call (three-part ids).
                    from("tdmq-http:" + topic + "?subscription=ids&initialDelay=0&delay=50&maxMessagesPerPoll=32&"
                         + ACK_TIMEOUT).routeId("ids-batches").process(record);
                    from("tdmq-http:" + topic + "?subscription=ids&initialDelay=0&delay=50&maxMessagesPerPoll=1&"
                         + ACK_TIMEOUT).routeId("ids-single").autoStartup(false).process(record);
                }
            });
            camel.start();
            await().atMost(Duration.ofMinutes(1)).until(() -> headerIds.size() == REDELIVERED);
            camel.getRouteController().stopRoute("ids-batches");
            camel.getRouteController().startRoute("ids-single");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Rig.subscription(emulator, topic, "ids").acked() == REDELIVERED);
            long twoForms = receivedIds.values().stream().filter(forms -> forms.size() > 1).count();
            long oneId = headerIds.values().stream().filter(ids -> ids.size() == 1).count();
            Figures.add(new Figures.Row("15. Every message fails once in a consumer receiving in batches and comes"
                                        + " back to one receiving singly: the id of each delivery",
                    REDELIVERED, REDELIVERED - processed.size(), processed.size() - Set.copyOf(processed).size(),
                    "—", String.format("%d messages came back in the other receive's id form; %d of %d kept one"
                                       + " CamelTdmqHttpMessageId", twoForms, oneId, REDELIVERED)));

            assertThat(headerIds).hasSize(REDELIVERED)
                    .allSatisfy((payload, ids) -> assertThat(ids).as(payload).hasSize(1));
            assertThat(twoForms).as("messages whose two receives wrote the id differently").isEqualTo(REDELIVERED);
        }
    }
}
