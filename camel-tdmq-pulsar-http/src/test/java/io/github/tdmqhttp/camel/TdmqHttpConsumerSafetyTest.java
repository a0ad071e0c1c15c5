package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.consumer.AckDeadlines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against hostile messages and timings: poison messages end in the dead letter topic after
 * maxDeliveries, no exchange starts for a message whose ack deadline is too close, and an outage is logged as a series
 * and ends by itself.
 */
class TdmqHttpConsumerSafetyTest extends EmulatorRouteTestSupport {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(emulatorBuilder());

    @Override
    protected TdmqEmulatorExtension emulator() {
        return emulator;
    }

    @Override
    protected String namespace() {
        return "pulsar-safety/ns";
    }

    @Test
    void theIdsOfABatchAndOfASingleReceiveNameTheSameMessage() {
        assertThat(TdmqHttpMessageId.canonical("71:12:0:0")).isEqualTo("71:12:0");
        assertThat(TdmqHttpMessageId.canonical("71:12:0:-1")).isEqualTo("71:12:0");
        assertThat(TdmqHttpMessageId.canonical("931087:81:0")).isEqualTo("931087:81:0");
        assertThat(TdmqHttpMessageId.canonical("71:12:0:3")).as("a message inside a Pulsar batch").isEqualTo("71:12:0:3");
        assertThat(TdmqHttpMessageId.canonical("71:10:0")).isEqualTo("71:10:0");
    }

    @Test
    void aBatchStartsOnlyTheMessagesThatCanFinishBeforeTheirDeadlineSoCamelBatchSizeCountsThem() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertThat(AckDeadlines.fitting(32, 1000 * ms, 300 * ms)).isEqualTo(3);
        assertThat(AckDeadlines.fitting(32, 1000 * ms, 10 * ms)).isEqualTo(32);
        assertThat(AckDeadlines.fitting(32, 1000 * ms, 0)).as("no exchange measured yet").isEqualTo(32);
        assertThat(AckDeadlines.fitting(32, 0, 10 * ms)).isZero();
        assertThat(AckDeadlines.fitting(32, -5 * ms, 0)).isZero();
    }

    @Test
    void theDeliveryCountHeaderCountsEachDeliveryToTheRouteFromOne() throws Exception {
        emulator.broker().publish(topic, "fails twice");
        List<Integer> counts = new CopyOnWriteArrayList<>();
        getMockEndpoint("mock:out").expectedBodiesReceived("fails twice");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSafetyTest.this.from("subscription=count")).process(exchange -> {
                    counts.add(exchange.getMessage().getHeader(TdmqHttpConstants.DELIVERY_COUNT, Integer.class));
                    if (counts.size() < 3) {
                        throw new IllegalStateException("attempt " + counts.size() + " fails");
                    }
                }).to("mock:out");
            }
        });

        getMockEndpoint("mock:out").assertIsSatisfied(3 * ACK_TIMEOUT.toMillis() + 10_000);
        assertThat(counts).containsExactly(1, 2, 3);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("count").acked() == 1);
    }

    @Test
    void aMessageThatKeepsFailingGoesToTheDeadLetterTopicAfterMaxDeliveriesAndIsThenAcknowledged() throws Exception {
        String deadLetterTopic = topic + "-poison-DLQ";
        emulator.broker().createTopic(deadLetterTopic, 1);
        emulator.broker().publish(topic, "good");
        emulator.broker().publish(topic, "bad ### payload");
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        MockEndpoint processed = getMockEndpoint("mock:processed");
        processed.expectedBodiesReceived("good");
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedBodiesReceived("bad ### payload");

        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSafetyTest.this.from("subscription=poison&maxDeliveries=3")).routeId("poison")
                        .process(exchange -> {
                            String body = exchange.getMessage().getBody(String.class);
                            attempts.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
                            if (body.startsWith("bad")) {
                                throw new IllegalStateException("cannot process " + body);
                            }
                        }).to("mock:processed");
                from(emulator.camelUri(deadLetterTopic) + "&subscription=inspect&initialDelay=0&delay=50")
                        .to("mock:dead");
            }
        });

        dead.assertIsSatisfied(3 * ACK_TIMEOUT.toMillis() + 10_000);
        processed.assertIsSatisfied();
        assertThat(attempts.get("bad ### payload")).hasValue(3);
        assertThat(attempts.get("good")).hasValue(1);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(stats("poison").acked()).isEqualTo(2);
            assertThat(stats("poison").backlog()).isZero();
            assertThat(stats("poison").inFlight()).isZero();
        });
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("poison").getConsumer();
        assertThat(consumer.getDeadLetterTopic()).as("TDMQ's own naming").isEqualTo(deadLetterTopic);
        assertThat(consumer.getDeadLetteredCount()).isEqualTo(1);
    }

    @Test
    void whenTheDeadLetterSendFailsTheMessageIsNotAcknowledgedAndComesBack() throws Exception {
        emulator.broker().publish(topic, "poison");
        emulator.faults().add(FaultRule.errorCode("InvalidParameterValue.TopicNotFound", "no such topic")
                .forAction("SendMessages"));
        AtomicInteger attempts = new AtomicInteger();
        try (LogCapture logs = LogCapture.debug()) {
            route(new RouteBuilder() {
                @Override
                public void configure() {
                    from(TdmqHttpConsumerSafetyTest.this.from("subscription=nodlq&maxDeliveries=1"
                                                              + "&deadLetterTopic=missing-dlq"))
                            .routeId("nodlq").process(exchange -> {
                                attempts.incrementAndGet();
                                throw new IllegalStateException("always fails");
                            });
                }
            });

            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(logs.lines())
                    .anySatisfy(line -> assertThat(line).startsWith("WARN").contains("Could not move message",
                            "pulsar-safety/ns/missing-dlq", "not acknowledged", "TopicNotFound")));
            await().atMost(3 * ACK_TIMEOUT.toMillis() + 10_000, TimeUnit.MILLISECONDS).until(() -> attempts.get() >= 2);
        }
        assertThat(stats("nodlq").acked()).isZero();
        assertThat(stats("nodlq").redelivered()).isPositive();
        emulator.faults().clear();
    }

    @Test
    void noExchangeStartsForAMessageWhoseAckDeadlineIsTooCloseSoNoneIsProcessedTwiceAtOnce() throws Exception {
        int messages = 20;
        for (int i = 0; i < messages; i++) {
            emulator.broker().publish(topic, "slow-" + i);
        }
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerSafetyTest.this.from("subscription=slow&concurrentConsumers=2"
                                                          + "&maxMessagesPerPoll=20&batchReceiveTimeout=500"))
                        .routeId("slow").process(exchange -> {
                            String body = exchange.getMessage().getBody(String.class);
                            if (running.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                        })
                        // The work of the route: 0.4 s per message.
                        .delay(400).syncDelayed()
                        .process(exchange -> {
                            String body = exchange.getMessage().getBody(String.class);
                            running.get(body).decrementAndGet();
                            completed.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
                        });
            }
        });

        await().atMost(60, TimeUnit.SECONDS).until(() -> completed.size() == messages);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("slow").acked() == messages);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("slow").getConsumer();
        assertThat(overlaps.get()).as("messages processed twice at the same moment").isZero();
        assertThat(consumer.getSkippedPastDeadlineCount()).as("messages left for redelivery").isPositive();
        assertThat(consumer.getCurrentBatchSize()).as("batches shrink to what fits in the ack timeout")
                .isLessThanOrEqualTo(5);
    }

    @Test
    void anOutageIsLoggedAsOneSeriesAndPollingResumesSoonAfterTheApiIsBack() throws Exception {
        emulator.broker().publish(topic, "before");
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived("before");
        try (LogCapture logs = LogCapture.info()) {
            route(new RouteBuilder() {
                @Override
                public void configure() {
                    // A receive in flight when the server goes away may never be answered: readTimeout bounds it.
                    from(TdmqHttpConsumerSafetyTest.this.from("subscription=outage&readTimeout=2000"))
                            .routeId("outage").to("mock:out");
                }
            });
            Health.enableConsumerChecks(context);
            out.assertIsSatisfied(10_000);
            await().atMost(10, TimeUnit.SECONDS).until(() -> stats("outage").acked() == 1);
            out.reset();
            out.expectedBodiesReceived("after");

            emulator.get().refuseConnections(Duration.ofSeconds(5));
            await().atMost(15, TimeUnit.SECONDS)
                    .until(() -> Health.consumerState(context, "outage") == HealthCheck.State.DOWN);
            emulator.broker().publish(topic, "after");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !emulator.get().isRefusingConnections());
            long back = System.nanoTime();
            out.assertIsSatisfied(10_000);
            long resumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            await().atMost(15, TimeUnit.SECONDS)
                    .until(() -> Health.consumerState(context, "outage") == HealthCheck.State.UP);

            List<String> consumerLines = logs.lines().stream()
                    .filter(line -> line.contains("tdmq-http consumer of " + topic)).toList();
            assertThat(consumerLines).as("one WARN when it starts, one INFO when it ends").hasSize(2);
            assertThat(consumerLines.get(0)).startsWith("WARN").contains("is failing", "ReceiveMessage",
                    "summarised every 30 s").doesNotContain("polling endpoint");
            assertThat(consumerLines.get(1)).startsWith("INFO").contains("works again after");
            assertThat(logs.lines()).noneMatch(line -> line.contains("\tat "));
            assertThat(resumedMillis).as("consumer back after the API").isLessThan(5_000);
        }
    }
}
