package io.github.tdmqhttp.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * exchangePerBatch=true against the emulator: one exchange per receive, every message acknowledged only when it
 * succeeds, delivery counts and dead letters per message, manual acknowledgement of a whole batch.
 */
class TdmqHttpConsumerBatchTest extends EmulatorRouteTestSupport {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(emulatorBuilder());

    @Override
    protected TdmqEmulatorExtension emulator() {
        return emulator;
    }

    @Override
    protected String namespace() {
        return "pulsar-batch/ns";
    }

    private void publish(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            emulator.broker().publish(topic, String.format("%s-%02d", prefix, i));
        }
    }

    @Test
    void eachReceiveIsOneExchangeWithTheBodiesAsAListAndEveryMessageIsAcknowledgedAfterIt() throws Exception {
        publish("batch", 25);
        List<List<?>> bodies = new CopyOnWriteArrayList<>();
        List<Exchange> seen = new CopyOnWriteArrayList<>();
        AtomicLong ackedWhileProcessing = new AtomicLong(-1);
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=batches&exchangePerBatch=true"
                                                         + "&maxMessagesPerPoll=10"))
                        .process(exchange -> {
                            if (bodies.isEmpty()) {
                                ackedWhileProcessing.set(stats("batches").acked());
                            }
                            bodies.add(exchange.getMessage().getBody(List.class));
                            seen.add(exchange.copy());
                        });
            }
        });

        await().atMost(15, TimeUnit.SECONDS).until(() -> stats("batches").acked() == 25);
        assertThat(ackedWhileProcessing).as("acknowledged while the first batch was in the route").hasValue(0);
        assertThat(bodies).allSatisfy(body -> assertThat(body).hasSizeBetween(1, 10));
        assertThat(bodies.stream().mapToInt(List::size).sum()).isEqualTo(25);
        assertThat(bodies.stream().flatMap(List::stream).distinct().count()).isEqualTo(25);
        assertThat(bodies.size()).as("exchanges for 25 messages").isLessThan(25);
        Exchange first = seen.get(0);
        List<?> body = first.getMessage().getBody(List.class);
        List<String> ids = first.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class);
        List<String> receiptIds = first.getMessage().getHeader(TdmqHttpConstants.RECEIPT_IDS, List.class);
        List<Integer> deliveries = first.getMessage().getHeader(TdmqHttpConstants.DELIVERY_COUNTS, List.class);
        List<Message> messages = first.getProperty(TdmqHttpConstants.BATCH_MESSAGES, List.class);
        assertThat(ids).hasSameSizeAs(body).doesNotHaveDuplicates();
        assertThat(receiptIds).hasSameSizeAs(body);
        assertThat(deliveries).hasSameSizeAs(body).containsOnly(1);
        assertThat(first.getMessage().getHeader(TdmqHttpConstants.DELIVERY_COUNT)).isEqualTo(1);
        assertThat(first.getMessage().getHeader(TdmqHttpConstants.SUBSCRIPTION)).isEqualTo("batches");
        assertThat(messages).hasSameSizeAs(body);
        for (int i = 0; i < body.size(); i++) {
            assertThat(messages.get(i).getBody()).isEqualTo(body.get(i));
            assertThat(messages.get(i).getHeader(TdmqHttpConstants.MESSAGE_ID)).isEqualTo(ids.get(i));
        }
    }

    @Test
    void aFailedBatchIsNotAcknowledgedAndComesBackWithEveryDeliveryCounted() throws Exception {
        publish("again", 5);
        AtomicInteger attempts = new AtomicInteger();
        List<List<Integer>> deliveryCounts = new CopyOnWriteArrayList<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=again&exchangePerBatch=true"))
                        .process(exchange -> {
                            deliveryCounts.add(exchange.getMessage().getHeader(TdmqHttpConstants.DELIVERY_COUNTS,
                                    List.class));
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("the first batch fails");
                            }
                        });
            }
        });

        await().atMost(20, TimeUnit.SECONDS).until(() -> stats("again").acked() == 5);
        assertThat(stats("again").redelivered()).isPositive();
        assertThat(deliveryCounts.get(0)).containsOnly(1);
        assertThat(deliveryCounts.stream().flatMap(List::stream)).contains(2);
    }

    @Test
    void aBatchThatAlwaysFailsGoesToTheDeadLetterTopicMessageByMessageOnce() throws Exception {
        String deadLetterTopic = topic + "-DLQ";
        emulator.broker().createTopic(deadLetterTopic, 1);
        publish("poison", 4);
        Map<String, AtomicInteger> deadLetters = new ConcurrentHashMap<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=poison&exchangePerBatch=true&maxDeliveries=2"
                                                         + "&deadLetterTopic=" + deadLetterTopic))
                        .process(exchange -> {
                            throw new IllegalStateException("always fails");
                        });
                from(TdmqHttpConsumerBatchTest.this.from(deadLetterTopic, "subscription=dlq"))
                        .process(exchange -> deadLetters.computeIfAbsent(exchange.getMessage().getBody(String.class),
                                any -> new AtomicInteger()).incrementAndGet());
            }
        });

        await().atMost(30, TimeUnit.SECONDS).until(() -> stats("poison").acked() == 4 && deadLetters.size() == 4);
        TimeUnit.MILLISECONDS.sleep(500);
        assertThat(deadLetters).containsOnlyKeys("poison-00", "poison-01", "poison-02", "poison-03")
                .allSatisfy((body, count) -> assertThat(count).hasValue(1));
    }

    @Test
    void withAutoAckFalseTheRouteAcknowledgesTheWholeBatchAtOnce() throws Exception {
        publish("manual", 6);
        AtomicInteger exchanges = new AtomicInteger();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=manual&exchangePerBatch=true&autoAck=false"))
                        .process(exchange -> exchanges.incrementAndGet())
                        .to(emulator.camelUri(topic) + "&operation=acknowledge");
            }
        });

        await().atMost(15, TimeUnit.SECONDS).until(() -> stats("manual").acked() == 6);
        assertThat(exchanges.get()).isLessThan(6);
        assertThat(stats("manual").redelivered()).isZero();
    }

    @Test
    void withAutoAckFalseTheHeadersAcknowledgeABatchThatLostItsReceipts() throws Exception {
        publish("headers", 3);
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=headers&exchangePerBatch=true&autoAck=false"))
                        // As across an asynchronous boundary: the properties are gone, the headers stay.
                        .removeProperties("CamelTdmqHttp*")
                        .to(emulator.camelUri(topic) + "&operation=acknowledge");
            }
        });

        await().atMost(15, TimeUnit.SECONDS).until(() -> stats("headers").acked() == 3);
    }

    @Test
    void aPartSplitFromTheBatchAcknowledgesItsOwnMessageOnlyAndAPartOfTheBodyIsRefused() throws Exception {
        publish("split", 3);
        AtomicInteger refused = new AtomicInteger();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=split&exchangePerBatch=true&autoAck=false"
                                                         + "&maxMessagesPerPoll=3&ackTimeout=60000"))
                        .split(exchangeProperty(TdmqHttpConstants.BATCH_MESSAGES))
                            .filter(body().isNotEqualTo("split-01"))
                                .to(emulator.camelUri(topic) + "&operation=acknowledge")
                            .end()
                        .end()
                        // A part of the body is no message of its own: acknowledging it is refused.
                        .split(body()).doTry()
                            .to(emulator.camelUri(topic) + "&operation=acknowledge")
                        .doCatch(TdmqHttpException.class)
                            .process(exchange -> refused.incrementAndGet())
                        .end();
            }
        });

        await().atMost(15, TimeUnit.SECONDS).until(() -> stats("split").acked() == 2 && refused.get() == 3);
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(stats("split").acked()).as("split-01 was not processed and stays unacknowledged").isEqualTo(2);
    }

    @Test
    void aPayloadThatCannotBeDecodedGoesToTheRouteAloneAndDoesNotHoldItsBatchBack() throws Exception {
        String deadLetterTopic = topic + "-DLQ";
        emulator.broker().createTopic(deadLetterTopic, 1);
        emulator.broker().publish(topic, "Z29vZC0x");
        emulator.broker().publish(topic, "not base64 at all!");
        emulator.broker().publish(topic, "Z29vZC0y");
        List<Object> batches = new CopyOnWriteArrayList<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerBatchTest.this.from("subscription=decode&exchangePerBatch=true"
                                                         + "&payloadEncoding=BASE64&maxDeliveries=2&deadLetterTopic="
                                                         + deadLetterTopic))
                        .process(exchange -> batches.add(exchange.getMessage().getBody()));
            }
        });

        await().atMost(20, TimeUnit.SECONDS).until(() -> stats("decode").acked() == 3
                                                         && emulator.broker().topicStats(deadLetterTopic).sent() == 1);
        assertThat(batches).allSatisfy(body -> assertThat(body).isInstanceOf(List.class));
        assertThat(batches.stream().flatMap(body -> ((List<?>) body).stream()).map(bytes -> new String((byte[]) bytes)))
                .containsExactlyInAnyOrder("good-1", "good-2");
    }
}
