package io.github.tdmqhttp.camel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What makes the consumer independent of the round trip: a receive waiting on the server while the topic is quiet,
 * instead of a sleep between polls; the next receive in flight while a batch is processed; more receives in flight
 * when the round trip is long. Asserted on what the emulator counts and on the consumer's behaviour, never on speed.
 */
class TdmqHttpConsumerReceiveAheadTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(Duration.ofSeconds(10)));

    private String topic;
    private CamelContext context;

    @BeforeEach
    void nameTheTopicAfterTheTest(TestInfo test) {
        topic = "pulsar-ahead/ns/" + test.getTestMethod().orElseThrow().getName();
        emulator.broker().createTopic(topic, 1);
        emulator.get().settings().receiveWait(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        emulator.get().settings().receiveWait(Duration.ofSeconds(1));
    }

    private TdmqHttpConsumer consume(String options, List<String> bodies) throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=s&initialDelay=0&ackTimeout=10000&" + options)
                        .routeId("ahead").process(exchange -> bodies.add(exchange.getIn().getBody(String.class)));
            }
        });
        context.start();
        return (TdmqHttpConsumer) context.getRoute("ahead").getConsumer();
    }

    private long receives() {
        return emulator.get().requestStats().get("ReceiveMessage") == null
                ? 0 : emulator.get().requestStats().get("ReceiveMessage").requests();
    }

    private SubscriptionStats stats() {
        return emulator.broker().subscriptionStats(topic, "s");
    }

    @Test
    void aQuietTopicKeepsOneReceiveWaitingOnTheServerInsteadOfSleepingBetweenPolls() throws Exception {
        // The server holds an empty single receive for 10 s, and the scheduler would wait a minute between polls: a
        // message can only arrive soon through a receive that already waits on the server.
        emulator.get().settings().receiveWait(Duration.ofSeconds(10));
        long before = receives();
        List<String> bodies = new CopyOnWriteArrayList<>();
        consume("delay=60000", bodies);
        // The first receive asks for a batch (a backlog may wait) and comes back empty; the second waits.
        await().atMost(10, TimeUnit.SECONDS).until(() -> receives() - before == 2);

        emulator.publish(topic, "while quiet");

        await().atMost(5, TimeUnit.SECONDS).until(() -> bodies.contains("while quiet"));
        // It was the waiting receive that brought it; the next one already waits again.
        assertThat(receives() - before).isLessThanOrEqualTo(3);
    }

    @Test
    void anIdleReceiveTheServerHeldIsFollowedAtOnceNotAfterTheSchedulersDelay() throws Exception {
        emulator.get().settings().receiveWait(Duration.ofMillis(300));
        long before = receives();

        consume("delay=60000", new CopyOnWriteArrayList<>());

        // With a delay of a minute between polls, only receives that follow one another at once get this far.
        await().atMost(15, TimeUnit.SECONDS).until(() -> receives() - before >= 5);
    }

    @Test
    void aServerThatAnswersAnEmptyTopicAtOnceIsPolledOnlyEveryDelay() throws Exception {
        emulator.get().settings().receiveWait(Duration.ZERO);
        long before = receives();

        consume("delay=60000", new CopyOnWriteArrayList<>());

        await().atMost(10, TimeUnit.SECONDS).until(() -> receives() - before >= 1);
        // No long poll to wait on: the scheduler's delay keeps an idle consumer from calling in a loop.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> receives() - before <= 2);
    }

    @Test
    void theNextReceiveIsInFlightWhileABatchIsProcessed() throws Exception {
        IntStream.range(0, 64).forEach(i -> emulator.publish(topic, "m" + i));
        long before = receives();
        AtomicBoolean nextReceiveSeenDuringTheFirstBatch = new AtomicBoolean();
        List<String> bodies = new CopyOnWriteArrayList<>();
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=s&initialDelay=0&maxMessagesPerPoll=32")
                        .routeId("ahead").process(exchange -> {
                            if (bodies.isEmpty()) {
                                // Hold the first message until the emulator sees the second receive, or give up.
                                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                                while (receives() - before < 2 && System.nanoTime() < deadline) {
                                    Thread.onSpinWait();
                                }
                                nextReceiveSeenDuringTheFirstBatch.set(receives() - before >= 2);
                            }
                            bodies.add(exchange.getIn().getBody(String.class));
                        });
            }
        });
        context.start();

        await().atMost(15, TimeUnit.SECONDS).until(() -> stats().acked() == 64);
        assertThat(nextReceiveSeenDuringTheFirstBatch).isTrue();
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("ahead").getConsumer();
        assertThat(consumer.getReceivesStartedAheadCount()).isPositive();
        assertThat(bodies).hasSize(64).doesNotHaveDuplicates();
    }

    @Test
    void moreReceivesAreInFlightWhenTheRoundTripIsLongAndEveryMessageIsProcessedOnce() throws Exception {
        IntStream.range(0, 400).forEach(i -> emulator.publish(topic, "m" + i));
        emulator.faults().latency(Duration.ofMillis(150), Duration.ZERO);
        try {
            List<String> bodies = new CopyOnWriteArrayList<>();
            TdmqHttpConsumer consumer = consume("maxMessagesPerPoll=8&maxReceivesInFlight=3", bodies);

            await().atMost(30, TimeUnit.SECONDS).until(() -> consumer.getReceivesInFlightTarget() == 3);
            await().atMost(60, TimeUnit.SECONDS).until(() -> stats().acked() == 400);
            assertThat(bodies).hasSize(400).doesNotHaveDuplicates();
            assertThat(stats().redelivered()).isZero();
        } finally {
            emulator.faults().clear();
        }
    }

    @Test
    void oneReceiveInFlightKeepsThePollersOrder() throws Exception {
        List<String> sent = IntStream.range(0, 300).mapToObj(i -> "m" + i).toList();
        sent.forEach(body -> emulator.publish(topic, body));
        List<String> bodies = new CopyOnWriteArrayList<>();

        consume("maxMessagesPerPoll=16&maxReceivesInFlight=1", bodies);

        await().atMost(30, TimeUnit.SECONDS).until(() -> stats().acked() == 300);
        assertThat(bodies).containsExactlyElementsOf(sent);
    }

    @Test
    void aStopDoesNotWaitForAReceiveStartedAheadAndLeavesItsMessagesForRedelivery() throws Exception {
        IntStream.range(0, 5).forEach(i -> emulator.publish(topic, "m" + i));
        List<String> bodies = new CopyOnWriteArrayList<>();
        // A full first batch: the receive started ahead asks for a batch too, and waits up to 8 s on the server.
        TdmqHttpConsumer consumer = consume("maxMessagesPerPoll=5&batchReceiveTimeout=8000", bodies);
        await().atMost(15, TimeUnit.SECONDS).until(() -> stats().acked() == 5);
        await().atMost(5, TimeUnit.SECONDS).until(() -> consumer.getReceivesStartedAheadCount() >= 1);
        emulator.publish(topic, "arrives while the receive ahead waits");

        long before = System.nanoTime();
        context.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        context = null;

        assertThat(stopMillis).as("stop while a receive started ahead waits on the server, in ms").isLessThan(4_000);
        assertThat(bodies).hasSize(5);
        assertThat(stats().acked()).isEqualTo(5);
    }
}
