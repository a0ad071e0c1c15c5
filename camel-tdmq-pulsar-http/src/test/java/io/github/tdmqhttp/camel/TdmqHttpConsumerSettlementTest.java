package io.github.tdmqhttp.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the consumer settles what it received: it holds no more unacknowledged messages than its share of the ack
 * quota settles before their deadline, a message moved to the dead letter topic is moved once, and a message keeps
 * one id whatever receive brought it.
 */
class TdmqHttpConsumerSettlementTest extends EmulatorRouteTestSupport {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(emulatorBuilder());

    @Override
    protected TdmqEmulatorExtension emulator() {
        return emulator;
    }

    @Override
    protected String namespace() {
        return "pulsar-settle/ns";
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    @Override
    protected void route(RouteBuilder builder) throws Exception {
        Health.enableConsumerChecks(context);
        context.addRoutes(builder);
        context.start();
    }

    @Test
    void aConsumerNeverHoldsMoreUnacknowledgedMessagesThanMaxUnacknowledgedMessages() throws Exception {
        int messages = 100;
        for (int i = 0; i < messages; i++) {
            emulator.broker().publish(topic, "held-" + i);
        }
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSettlementTest.this.from(topic, "subscription=held&maxUnacknowledgedMessages=10"
                                                                     + "&maxMessagesPerPoll=32&maxRequestsPerSecond=0"))
                        .routeId("held").process(exchange -> {
                            // What TDMQ counts as delivered and not acknowledged, seen from inside the route.
                            mostInFlight.accumulateAndGet((int) stats(topic, "held").inFlight(), Math::max);
                            TdmqHttpConsumer consumer = (TdmqHttpConsumer) exchange.getContext().getRoute("held")
                                    .getConsumer();
                            mostHeld.accumulateAndGet(consumer.getUnacknowledgedCount(), Math::max);
                            processed.computeIfAbsent(exchange.getMessage().getBody(String.class),
                                    any -> new AtomicInteger()).incrementAndGet();
                        });
            }
        });

        await().atMost(30, TimeUnit.SECONDS).ignoreExceptions().until(() -> stats(topic, "held").acked() == messages);
        assertThat(processed).hasSize(messages).allSatisfy((body, count) -> assertThat(count).hasValue(1));
        assertThat(mostInFlight.get()).as("messages TDMQ delivered and were not yet acknowledged").isBetween(1, 10);
        assertThat(mostHeld.get()).isBetween(1, 10);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("held").getConsumer();
        assertThat(consumer.getUnacknowledgedLimit()).isEqualTo(10);
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.getUnacknowledgedCount() == 0);
    }

    /**
     * An Error the route lets escape (a StackOverflowError in a processor) ends the poll, not the consumer: the messages
     * of the batch not started give their room back, so the consumer again holds nothing once all are acknowledged.
     */
    @Test
    void anErrorEscapingTheRouteMidBatchGivesBackTheRoomOfTheMessagesNotStarted() throws Exception {
        int messages = 5;
        for (int i = 0; i < messages; i++) {
            emulator.broker().publish(topic, "error-" + i);
        }
        AtomicBoolean thrown = new AtomicBoolean();
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSettlementTest.this.from(topic, "subscription=error&maxMessagesPerPoll=5"
                                                                     + "&maxRequestsPerSecond=0"))
                        .routeId("error").process(exchange -> {
                            if (thrown.compareAndSet(false, true)) {
                                throw new StackOverflowError("the route's own bug");
                            }
                            processed.computeIfAbsent(exchange.getMessage().getBody(String.class),
                                    any -> new AtomicInteger()).incrementAndGet();
                        });
            }
        });

        await().atMost(30, TimeUnit.SECONDS).ignoreExceptions().until(() -> stats(topic, "error").acked() == messages);
        assertThat(processed).hasSize(messages);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("error").getConsumer();
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.getUnacknowledgedCount() == 0);
    }

    /**
     * Two consumers spend one quota of 40 acknowledgements a second: with 32 messages a receive they would take in
     * far more than 40 a second settle before the 2 s deadline, and TDMQ would deliver the rest again.
     */
    @Test
    void consumersSharingATightAckQuotaAcknowledgeEveryMessageBeforeItsDeadline() throws Exception {
        String second = topic + "-second";
        emulator.broker().createTopic(second, 1);
        int messages = 150;
        for (int i = 0; i < messages; i++) {
            emulator.broker().publish(topic, "first-" + i);
            emulator.broker().publish(second, "second-" + i);
        }
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        String options = "subscription=shared&maxMessagesPerPoll=32&maxRequestsPerSecond=40";
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSettlementTest.this.from(topic, options)).routeId("first").to("direct:count");
                from(TdmqHttpConsumerSettlementTest.this.from(second, options)).routeId("second").to("direct:count");
                from("direct:count").process(exchange -> processed.computeIfAbsent(
                        exchange.getMessage().getBody(String.class), any -> new AtomicInteger()).incrementAndGet());
            }
        });

        await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(
                () -> stats(topic, "shared").acked() == messages && stats(second, "shared").acked() == messages);
        assertThat(processed).hasSize(2 * messages);
        assertThat(processed).as("messages processed more than once")
                .allSatisfy((body, count) -> assertThat(count).hasValue(1));
        assertThat(stats(topic, "shared").redelivered() + stats(second, "shared").redelivered()).isZero();
        TdmqHttpConsumer first = (TdmqHttpConsumer) context.getRoute("first").getConsumer();
        assertThat(first.getUnacknowledgedLimit()).as("at most half of 40/s for a quarter of the 2 s ack timeout")
                .isBetween(1, 10);
    }

    @Test
    void aMessageWhoseAcknowledgementFailsAfterItsDeadLetterMoveIsMovedOnceAndNotProcessedAgain() throws Exception {
        String deadLetterTopic = topic + "-once-DLQ";
        emulator.broker().createTopic(deadLetterTopic, 1);
        emulator.broker().publish(topic, "poison");
        AtomicInteger attempts = new AtomicInteger();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSettlementTest.this.from(topic, "subscription=once&maxDeliveries=2"))
                        .routeId("once").process(exchange -> {
                            if (attempts.incrementAndGet() == 2) {
                                // The last failure: the move will work and the acknowledgement after it will not.
                                emulator.faults().add(FaultRule.errorCode("FailedOperation.MessageIDError",
                                        "ack error").forAction("AcknowledgeMessage").times(1));
                            }
                            throw new IllegalStateException("always fails");
                        });
            }
        });

        await().atMost(4 * ACK_TIMEOUT.toMillis() + 10_000, TimeUnit.MILLISECONDS).ignoreExceptions()
                .until(() -> stats(topic, "once").acked() == 1);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("once").getConsumer();
        assertThat(stats(topic, "once").redelivered()).as("delivered again after the failed acknowledgement")
                .isEqualTo(2);
        assertThat(attempts).as("the route saw it maxDeliveries times, not after the move").hasValue(2);
        assertThat(emulator.broker().topicStats(deadLetterTopic).sent()).as("moved once").isEqualTo(1);
        assertThat(consumer.getDeadLetteredCount()).isEqualTo(1);
        assertThat(consumer.getAckFailureCount()).isEqualTo(1);
        Map<String, Object> details = Health.consumer(context, "once").orElseThrow().getDetails();
        assertThat(details.get(TdmqHttpConsumerHealthCheck.ACK_FAILURES)).isEqualTo(1L);
        assertThat(details.get(TdmqHttpConsumerHealthCheck.ACK_ERROR_CODE)).isEqualTo("FailedOperation.MessageIDError");
    }

    @Test
    void anAnswerTheServiceRefusesAsTooLargeMakesTheConsumerAskForLessAndEveryMessageArrives() throws Exception {
        int messages = 40;
        for (int i = 0; i < messages; i++) {
            emulator.broker().publish(topic, String.format("%03d", i) + ".".repeat(197));
        }
        // About ten messages of 200 bytes fit an answer; a batch of 32 does not.
        emulator.get().settings().maxResponseBytes(3000);
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        try {
            route(new RouteBuilder() {
                @Override
                public void configure() {
                    from(TdmqHttpConsumerSettlementTest.this.from(topic, "subscription=large&maxMessagesPerPoll=32"))
                            .routeId("large").process(exchange -> processed.computeIfAbsent(
                                    exchange.getMessage().getBody(String.class), any -> new AtomicInteger())
                                    .incrementAndGet());
                }
            });

            await().atMost(30, TimeUnit.SECONDS).ignoreExceptions()
                    .until(() -> stats(topic, "large").acked() == messages);
            // A second backlog, in full quick batches: the size found does not grow back into a refusal.
            try (LogCapture logs = LogCapture.info()) {
                for (int i = messages; i < 2 * messages; i++) {
                    emulator.broker().publish(topic, String.format("%03d", i) + ".".repeat(197));
                }
                await().atMost(30, TimeUnit.SECONDS).ignoreExceptions()
                        .until(() -> stats(topic, "large").acked() == 2 * messages);
                assertThat(logs.lines()).noneMatch(line -> line.contains("ResponseSizeLimitExceeded"));
            }
        } finally {
            emulator.get().settings().maxResponseBytes(0);
        }
        assertThat(processed).hasSize(2 * messages).allSatisfy((body, count) -> assertThat(count).hasValue(1));
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("large").getConsumer();
        assertThat(consumer.getCurrentBatchSize()).as("halved until an answer fits").isLessThan(32);
    }

    /**
     * Camel's shutdown strategy waits for the acknowledgements on their way, and they stop retrying a few seconds
     * after it began: an ack outage does not hold a stop for the whole ack timeout (a minute here).
     */
    @Test
    void aStopDuringAnAckOutageWaitsForTheAcknowledgementsSecondsNotAWholeAckTimeout() throws Exception {
        emulator.broker().publish(topic, "acked during an outage");
        emulator.faults().add(FaultRule.errorCode("InternalError", "acks are down").forAction("AcknowledgeMessage"));
        context.getShutdownStrategy().setTimeout(50);
        AtomicInteger processed = new AtomicInteger();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=outage&initialDelay=0&delay=50&ackTimeout=60000")
                        .routeId("outage").process(exchange -> processed.incrementAndGet());
            }
        });
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("outage").getConsumer();
        await().atMost(10, TimeUnit.SECONDS).until(() -> processed.get() >= 1 && consumer.getAcksWaiting() >= 1);
        assertThat(consumer.getPendingExchangesSize()).as("the acknowledgement counts as pending").isPositive();

        long start = System.nanoTime();
        context.getRouteController().stopRoute("outage");
        long stopped = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(stopped).as("seconds the stop took, with a 60 s ack timeout").isLessThan(30);
        assertThat(consumer.getAckFailureCount()).isPositive();
    }

    @Test
    void aMessageKeepsOneIdWhetherABatchOrASingleReceiveBroughtIt() throws Exception {
        emulator.broker().publish(topic, "twice");
        List<String> receivedIds = new CopyOnWriteArrayList<>();
        List<String> headerIds = new CopyOnWriteArrayList<>();
        List<String> camelIds = new CopyOnWriteArrayList<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSettlementTest.this.from(topic, "subscription=ids&maxMessagesPerPoll=32"))
                        .routeId("ids").process(exchange -> {
                            receivedIds.add(exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY,
                                    TdmqHttpReceipt.class).messageId());
                            headerIds.add(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class));
                            camelIds.add(exchange.getMessage().getMessageId());
                            if (receivedIds.size() == 1) {
                                throw new IllegalStateException("the first delivery fails");
                            }
                        });
            }
        });

        await().atMost(3 * ACK_TIMEOUT.toMillis() + 10_000, TimeUnit.MILLISECONDS).ignoreExceptions()
                .until(() -> stats(topic, "ids").acked() == 1);
        // The first receive of a consumer asks for a batch (a backlog may wait); after it the topic is quiet, so the
        // redelivery comes to a single receive, which TDMQ answers with the id's three-part form.
        assertThat(receivedIds).hasSize(2);
        assertThat(receivedIds.get(0)).as("the batch receive's form").matches("\\d+:\\d+:\\d+:(0|-1)");
        assertThat(receivedIds.get(1)).as("the single receive's form").matches("\\d+:\\d+:\\d+");
        assertThat(headerIds).containsExactly(receivedIds.get(1), receivedIds.get(1));
        assertThat(camelIds).isEqualTo(headerIds);
    }
}
