package io.github.tdmqhttp.camel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.model.BatchingLimits;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against the emulator: each message processed and acknowledged once, failures left for redelivery,
 * batches split safely, acknowledgements off the route's path, and the scheduler's options at work.
 */
class TdmqHttpConsumerTest extends EmulatorRouteTestSupport {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(emulatorBuilder());

    @Override
    protected TdmqEmulatorExtension emulator() {
        return emulator;
    }

    @Override
    protected String namespace() {
        return "pulsar-consumer/ns";
    }

    private List<String> publish(String... payloads) {
        List<String> ids = new ArrayList<>();
        for (String payload : payloads) {
            ids.add(emulator.publish(topic, payload));
        }
        return ids;
    }

    private static String[] numbered(String prefix, int count) {
        String[] payloads = new String[count];
        for (int i = 0; i < count; i++) {
            payloads[i] = prefix + i;
        }
        return payloads;
    }

    @Test
    void everyMessageIsProcessedOnceAndAcknowledgedExactlyOnce() throws Exception {
        String[] payloads = numbered("order-", 100);
        publish(payloads);
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceivedInAnyOrder((Object[]) payloads);
        out.expectedMessageCount(100);

        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=once")).to("mock:out");
            }
        });

        out.assertIsSatisfied(10_000);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            SubscriptionStats stats = stats("once");
            assertThat(stats.acked()).isEqualTo(100);
            assertThat(stats.backlog()).isZero();
            assertThat(stats.inFlight()).isZero();
        });
        SubscriptionStats stats = stats("once");
        assertThat(stats.duplicateAcks()).isZero();
        assertThat(stats.redelivered()).isZero();
        assertThat(stats.delivered()).isEqualTo(100);
    }

    @Test
    void aFailedExchangeIsNotAcknowledgedComesBackAfterTheAckTimeoutAndIsThenAcknowledged() throws Exception {
        publish("fails once");
        AtomicInteger attempts = new AtomicInteger();
        AtomicLong ackedWhenRetried = new AtomicLong(-1);

        getMockEndpoint("mock:out").expectedBodiesReceived("fails once");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=retry")).process(exchange -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    ackedWhenRetried.set(stats("retry").acked());
                }).to("mock:out");
            }
        });

        getMockEndpoint("mock:out").assertIsSatisfied(ACK_TIMEOUT.toMillis() + 10_000);
        assertThat(ackedWhenRetried.get()).as("acked before the successful attempt").isZero();
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("retry").acked() == 1);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(stats("retry").redelivered()).isEqualTo(1);
        assertThat(stats("retry").backlog()).isZero();
    }

    @Test
    void aDeadLetterChannelCountsAsSuccessAndAcknowledges() throws Exception {
        publish("poison");
        getMockEndpoint("mock:dead").expectedBodiesReceived("poison");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:dead"));
                from(TdmqHttpConsumerTest.this.from("subscription=dead")).process(exchange -> {
                    throw new IllegalStateException("always fails");
                });
            }
        });

        getMockEndpoint("mock:dead").assertIsSatisfied(10_000);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("dead").acked() == 1);
        assertThat(stats("dead").backlog()).isZero();
    }

    @Test
    void handledExceptionsCountAsSuccessAndAcknowledge() throws Exception {
        publish("handled");
        getMockEndpoint("mock:handled").expectedMessageCount(1);
        route(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true).to("mock:handled");
                from(TdmqHttpConsumerTest.this.from("subscription=handled")).process(exchange -> {
                    throw new IllegalStateException("handled by onException");
                });
            }
        });

        getMockEndpoint("mock:handled").assertIsSatisfied(10_000);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("handled").acked() == 1);
    }

    @Test
    void anEmptyTopicIsAnIdlePollNotAnError() throws Exception {
        emulator.broker().createTopic(topic, 1);
        try (LogCapture logs = LogCapture.debug()) {
            route(new RouteBuilder() {
                @Override
                public void configure() {
                    from(TdmqHttpConsumerTest.this.from("subscription=idle&delay=10")).routeId("idle").to("mock:out");
                }
            });
            Health.enableConsumerChecks(context);
            long before = emulator.get().requestStats().get("ReceiveMessage").requests();
            await().atMost(20, TimeUnit.SECONDS)
                    .until(() -> emulator.get().requestStats().get("ReceiveMessage").requests() >= before + 20);

            assertThat(Health.consumerState(context, "idle")).isEqualTo(HealthCheck.State.UP);
            // The test URIs carry the emulator's keys, which the endpoint warns about once at start; nothing else.
            assertThat(logs.lines()).filteredOn(line -> !line.contains("in its URI"))
                    .noneMatch(line -> line.startsWith("WARN") || line.startsWith("ERROR"));
        }
        getMockEndpoint("mock:out").expectedMessageCount(0);
        getMockEndpoint("mock:out").assertIsSatisfied();
    }

    @Test
    void theSchedulerOptionsOfAPollingConsumerWork() throws Exception {
        emulator.broker().createTopic(topic, 1);
        long before = emulator.get().requestStats().get("ReceiveMessage").requests();
        MockEndpoint idle = getMockEndpoint("mock:idle");
        idle.expectedMessageCount(3);

        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=scheduler&delay=10&repeatCount=3"
                                                    + "&sendEmptyMessageWhenIdle=true")).to("mock:idle");
            }
        });

        idle.assertIsSatisfied(10_000);
        assertThat(idle.getExchanges()).allSatisfy(exchange -> {
            assertThat(exchange.getMessage().getBody()).isNull();
            assertThat(exchange.getProperty(ExchangePropertyKey.BATCH_SIZE, Integer.class)).isEqualTo(1);
        });
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(
                emulator.get().requestStats().get("ReceiveMessage").requests() - before).isEqualTo(3));
    }

    @Test
    void aBatchOfNGivesNExchangesWithTheirBodiesIdsAndBatchProperties() throws Exception {
        String[] payloads = numbered("item-", 10);
        List<String> sentIds = publish(payloads);
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived((Object[]) payloads);

        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=batch&maxMessagesPerPoll=10"
                                                    + "&batchReceiveTimeout=2000&initialDelay=200")).to("mock:out");
            }
        });

        out.assertIsSatisfied(10_000);
        for (int i = 0; i < 10; i++) {
            Exchange exchange = out.getExchanges().get(i);
            String id = exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class);
            assertThat(sentIds.get(i)).startsWith(id);
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.TOPIC)).isEqualTo(topic);
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.ACK_TOPIC)).isEqualTo(topic);
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.SUBSCRIPTION)).isEqualTo("batch");
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.REQUEST_ID, String.class)).isNotBlank();
            assertThat(exchange.getProperty(ExchangePropertyKey.BATCH_SIZE, Integer.class)).isEqualTo(10);
            assertThat(exchange.getProperty(ExchangePropertyKey.BATCH_INDEX, Integer.class)).isEqualTo(i);
            assertThat(exchange.getProperty(ExchangePropertyKey.BATCH_COMPLETE, Boolean.class)).isEqualTo(i == 9);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("batch").acked() == 10);
        assertThat(emulator.get().requestStats().get("ReceiveMessage").requests()).isPositive();
    }

    @Test
    void aBatchThatCannotBeSplitIsReceivedAgainOneByOneSoEveryMessageReachesTheRouteIntact() throws Exception {
        List<String> ids = publish("plain", "has ### inside", "plain again");
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceivedInAnyOrder("plain", "has ### inside", "plain again");
        try (LogCapture logs = LogCapture.debug()) {
            route(new RouteBuilder() {
                @Override
                public void configure() {
                    from(TdmqHttpConsumerTest.this.from("subscription=hash&maxMessagesPerPoll=3"
                                                        + "&batchReceiveTimeout=1000&initialDelay=200"))
                            .routeId("hash").to("mock:out");
                }
            });
            Health.enableConsumerChecks(context);

            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(logs.lines())
                    .anySatisfy(line -> assertThat(line).startsWith("WARN").contains("a batch of 3 messages",
                            ids.get(1).substring(0, ids.get(1).lastIndexOf(':')), "cannot be split", "one message per call", "payloadEncoding=BASE64")));
            out.assertIsSatisfied(ACK_TIMEOUT.toMillis() * 2 + 10_000);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("hash").acked() == 3);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("hash").getConsumer();
        assertThat(consumer.getUnpairedBatchCount()).isEqualTo(1);
        assertThat(Health.consumerState(context, "hash")).isEqualTo(HealthCheck.State.UP);
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.getCurrentBatchSize() == 3);
    }

    @Test
    void aHashNextToTheSeparatorIsNeverMovedToTheNextMessage() throws Exception {
        publish("C#", "y", "#tag", "z");
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceivedInAnyOrder("C#", "y", "#tag", "z");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=boundary&maxMessagesPerPoll=4"
                                                    + "&batchReceiveTimeout=1000&initialDelay=200")).to("mock:out");
            }
        });

        out.assertIsSatisfied(ACK_TIMEOUT.toMillis() * 2 + 10_000);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("boundary").acked() == 4);
        assertThat(stats("boundary").delivered() + stats("boundary").redelivered()).as("each twice at most")
                .isLessThanOrEqualTo(8);
    }

    @Test
    void anAnswerWithOneMessageIdIsNeverAmbiguousWhateverItsPayloadHolds() throws Exception {
        publish("#only ### one#");
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived("#only ### one#");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=one&maxMessagesPerPoll=8")).routeId("one")
                        .to("mock:out");
            }
        });

        out.assertIsSatisfied(10_000);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("one").getConsumer();
        assertThat(consumer.getUnpairedBatchCount()).isZero();
        assertThat(stats("one").redelivered()).isZero();
    }

    @Test
    void aFullBatchIsFollowedByTheNextPollAtOnceSoABacklogDrainsWithoutTheDelay() throws Exception {
        publish(numbered("backlog-", 15));
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedMessageCount(15);

        route(new RouteBuilder() {
            @Override
            public void configure() {
                // A poll every 30 s: only the drain of full batches can bring 15 messages in time.
                from(TdmqHttpConsumerTest.this.from("subscription=drain&maxMessagesPerPoll=5&delay=30000"
                                                    + "&batchReceiveTimeout=1000")).to("mock:out");
            }
        });

        out.assertIsSatisfied(15_000);
    }

    @Test
    void forwardingToAnotherTopicThenAcknowledgingAcknowledgesTheReceivedMessage() throws Exception {
        publish("forward me");
        String forwarded = topic + "-forwarded";
        emulator.broker().createTopic(forwarded, 1);
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=manual-forward&autoAck=false"))
                        .to("tdmq-http:" + forwarded + "?region=ap-guangzhou&endpoint=" + emulator.endpoint()
                            + "&secretId=RAW(" + emulator.get().secretId() + ")&secretKey=RAW("
                            + emulator.get().secretKey() + ")")
                        .to(emulator.camelUri(topic) + "&operation=acknowledge");
            }
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("manual-forward").acked() == 1);
        // Past the ack timeout, still forwarded once: the acknowledgement reached the message received.
        await().during(ACK_TIMEOUT.plusSeconds(1)).atMost(ACK_TIMEOUT.plusSeconds(5))
                .until(() -> emulator.broker().topicStats(forwarded).sent() == 1);
        assertThat(stats("manual-forward").inFlight()).isZero();
    }

    /**
     * A message of a batch entry (batch index 0) has a canonical id without its index; the acknowledge operation of an
     * exchange that lost its receipt (as across an asynchronous boundary) acknowledges the id as received, from the
     * receipt id header, not the canonical one.
     */
    @Test
    void anExchangeThatLostItsReceiptIsAcknowledgedByTheIdAsReceived() throws Exception {
        emulator.broker().serviceSideBatching(true);
        try {
            emulator.broker().sendBatched(topic, "first of an entry",
                    new BatchingLimits(1, 1024, Duration.ofMillis(1)));
        } finally {
            emulator.broker().serviceSideBatching(false);
        }
        List<String> ids = new CopyOnWriteArrayList<>();
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=lost-receipt&autoAck=false&maxMessagesPerPoll=5"))
                        .process(exchange -> {
                            ids.add(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class));
                            ids.add(exchange.getMessage().getHeader(TdmqHttpConstants.RECEIPT_ID, String.class));
                            exchange.removeProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY);
                        })
                        .to(emulator.camelUri(topic) + "&operation=acknowledge");
            }
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("lost-receipt").acked() == 1);
        assertThat(ids.get(1)).as("the id as received").endsWith(":0").startsWith(ids.get(0) + ":");
        assertThat(stats("lost-receipt").inFlight()).isZero();
    }

    @Test
    void base64OnBothSidesCarriesArbitraryBytesThroughABatch() throws Exception {
        byte[][] bodies = {
                { 'a', '#', '#', '#', 'b' },
                { (byte) 0xc3, 0x28, (byte) 0xff, 0x00 },
                "###".getBytes(StandardCharsets.UTF_8),
                new byte[0],
                "plain text".getBytes(StandardCharsets.UTF_8) };
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to(emulator.camelUri(topic) + "&payloadEncoding=BASE64");
                from(TdmqHttpConsumerTest.this.from("subscription=bytes&payloadEncoding=BASE64&maxMessagesPerPoll=5"
                                                    + "&batchReceiveTimeout=1000&initialDelay=300")).to("mock:out");
            }
        });

        for (byte[] body : bodies) {
            template.sendBody("direct:send", body);
        }

        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedMessageCount(bodies.length);
        out.assertIsSatisfied(10_000);
        for (int i = 0; i < bodies.length; i++) {
            assertThat(out.getExchanges().get(i).getMessage().getBody(byte[].class)).isEqualTo(bodies[i]);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("bytes").acked() == bodies.length);
    }

    @Test
    void aPayloadThatIsNotBase64GoesToTheErrorHandlerInsteadOfComingBackForever() throws Exception {
        publish("not base64 at all!");
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedBodiesReceived("not base64 at all!");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:dead"));
                from(TdmqHttpConsumerTest.this.from("subscription=b64&payloadEncoding=BASE64")).to("mock:out");
            }
        });

        dead.assertIsSatisfied(10_000);
        Exception failure = dead.getExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(failure).isInstanceOf(TdmqHttpException.class).hasMessageContaining("is not base64");
        assertThat(getMockEndpoint("mock:out").getReceivedCounter()).isZero();
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("b64").acked() == 1);
    }

    @Test
    void concurrentConsumersPollAndProcessInParallelAndEachMessageOnce() throws Exception {
        String[] payloads = numbered("parallel-", 200);
        publish(payloads);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch twoThreadsAtOnce = new CountDownLatch(2);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();
        Map<String, Integer> seen = new ConcurrentHashMap<>();

        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=parallel&concurrentConsumers=4&maxMessagesPerPoll=5"))
                        .process(exchange -> {
                            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                            if (threads.add(Thread.currentThread().getName())) {
                                twoThreadsAtOnce.countDown();
                                // Hold the first message of each poller until another poller is processing too.
                                twoThreadsAtOnce.await(10, TimeUnit.SECONDS);
                            }
                            seen.merge(exchange.getMessage().getBody(String.class), 1, Integer::sum);
                            active.decrementAndGet();
                        }).to("mock:out");
            }
        });

        getMockEndpoint("mock:out").expectedMessageCount(200);
        getMockEndpoint("mock:out").assertIsSatisfied(20_000);
        assertThat(mostActive.get()).as("exchanges processed at the same moment").isGreaterThanOrEqualTo(2);
        assertThat(threads).hasSizeGreaterThanOrEqualTo(2);
        assertThat(seen).hasSize(200).allSatisfy((body, times) -> assertThat(times).isOne());
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("parallel").acked() == 200);
        assertThat(stats("parallel").duplicateAcks()).isZero();
    }

    @Test
    void latestStartsAfterTheNewestMessageAndEarliestAtTheOldest() throws Exception {
        publish("before-1", "before-2");
        getMockEndpoint("mock:latest").expectedBodiesReceived("after-1");
        getMockEndpoint("mock:earliest").expectedBodiesReceivedInAnyOrder("before-1", "before-2", "after-1");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=late&subInitialPosition=Latest")).to("mock:latest");
                from(TdmqHttpConsumerTest.this.from("subscription=early")).to("mock:earliest");
            }
        });
        // The subscription's position is fixed when TDMQ first sees it: wait until both have polled once.
        await().atMost(10, TimeUnit.SECONDS).until(() -> emulator.broker().topicStats(topic).subscriptions().size() == 2);
        publish("after-1");

        MockEndpoint.assertIsSatisfied(context, 10, TimeUnit.SECONDS);
    }

    @Test
    void withAutoAckOffTheRouteAcknowledgesWithTheAcknowledgeOperation() throws Exception {
        publish("manual-1", "manual-2", "left-alone");
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=manual&autoAck=false"))
                        .choice()
                            .when(body().startsWith("manual"))
                                .to(emulator.camelUri(topic) + "&operation=acknowledge")
                        .end()
                        .to("mock:out");
            }
        });

        getMockEndpoint("mock:out").expectedMessageCount(3);
        getMockEndpoint("mock:out").assertIsSatisfied(10_000);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("manual").acked() == 2);
        assertThat(stats("manual").inFlight()).isEqualTo(1);
    }

    @Test
    void acknowledgementsDoNotHoldUpTheNextMessage() throws Exception {
        publish(numbered("slow-ack-", 32));
        // Every answer takes 1.5 s: acknowledging in line, the last message of the batch would be processed only after
        // 31 acknowledgements had come back.
        emulator.faults().latency(Duration.ofMillis(1500), Duration.ZERO);
        AtomicLong acknowledgedWhenBatchEnded = new AtomicLong(-1);
        AtomicInteger firstBatchSize = new AtomicInteger();

        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=fastpath&maxMessagesPerPoll=32"
                                                    + "&batchReceiveTimeout=3000")).routeId("fastpath")
                        .process(exchange -> {
                            if (exchange.getProperty(ExchangePropertyKey.BATCH_COMPLETE, Boolean.class)
                                && firstBatchSize.compareAndSet(0, exchange.getProperty(
                                        ExchangePropertyKey.BATCH_SIZE, Integer.class))) {
                                TdmqHttpConsumer consumer = (TdmqHttpConsumer) getContext().getRoute("fastpath")
                                        .getConsumer();
                                acknowledgedWhenBatchEnded.set(consumer.getAcknowledgedCount());
                            }
                        })
                        .to("mock:out");
            }
        });

        getMockEndpoint("mock:out").expectedMessageCount(32);
        getMockEndpoint("mock:out").assertIsSatisfied(20_000);
        assertThat(firstBatchSize.get()).isGreaterThan(4);
        assertThat(acknowledgedWhenBatchEnded.get()).as("acknowledgements answered when the batch was done").isZero();
        await().atMost(15, TimeUnit.SECONDS).until(() -> stats("fastpath").acked() == 32);
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("fastpath").getConsumer();
        await().atMost(15, TimeUnit.SECONDS).until(() -> consumer.getAcknowledgedCount() == 32);
    }

    @Test
    void aFailedAcknowledgementIsRetriedAndOneThatStillFailsIsCountedAndLogged() throws Exception {
        publish("ack-retried");
        emulator.faults().add(FaultRule.errorCode("InternalError", "ack hiccup").forAction("AcknowledgeMessage")
                .times(2));
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpConsumerTest.this.from("subscription=ackretry&retryInitialDelay=10")).routeId("ackretry")
                        .to("mock:out");
            }
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("ackretry").acked() == 1);
        TdmqHttpConsumer first = (TdmqHttpConsumer) context.getRoute("ackretry").getConsumer();
        assertThat(first.getAckFailureCount()).isZero();
        context.getRouteController().stopRoute("ackretry");

        publish("ack-lost");
        emulator.faults().add(FaultRule.errorCode("InternalError", "ack keeps failing").forAction("AcknowledgeMessage"));
        try (LogCapture logs = LogCapture.debug()) {
            context.getRouteController().startRoute("ackretry");
            TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("ackretry").getConsumer();
            await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.getAckFailureCount() >= 1);
            // Not acknowledged: the message waits for its ack timeout, which ends about when the retries gave up.
            assertThat(stats("ackretry").inFlight()).isEqualTo(1);
            // The failure is counted just before it is logged.
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(logs.lines()).anySatisfy(
                    line -> assertThat(line).startsWith("WARN").contains("Could not acknowledge message",
                            "InternalError", "ack keeps failing", "deliver it again")
                            .doesNotContain("request id null")));
        }
    }
}
