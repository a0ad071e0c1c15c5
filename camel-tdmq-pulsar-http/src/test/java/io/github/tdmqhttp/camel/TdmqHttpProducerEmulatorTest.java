package io.github.tdmqhttp.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.model.InitialPosition;
import io.github.tdmqhttp.emulator.model.ReceiveLimits;
import io.github.tdmqhttp.emulator.model.ReceivedMessage;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer against the emulator, which checks every signature: a route sends and gets the message id, and the
 * service's own refusals (wrong key, unknown topic, missing role key) arrive as clear errors, not retried.
 */
class TdmqHttpProducerEmulatorTest extends CamelTestSupport {

    private static final String TOPIC = "pulsar-x/ns/t";
    private static final String CONCURRENT_TOPIC = "pulsar-x/ns/concurrent";

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .autoCreateTopics(false)
            .topic(TOPIC, 1)
            .topic("pulsar-x/ns/guarded", 1)
            .topic(CONCURRENT_TOPIC, 1)
            .stringTokens("role-key-1"));

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint=" + emulator.endpoint()
                                     + "&secretId=RAW(" + emulator.get().secretId() + ")&secretKey=RAW("
                                     + emulator.get().secretKey() + ")&stringToken=RAW(role-key-1)");
            }
        };
    }

    private long sendCalls() {
        return emulator.get().requestStats().get("SendMessages").requests();
    }

    @Test
    void aRouteSendsABodyAndGetsTheMessageIdHeader() {
        Exchange exchange = template.request("direct:in", e -> e.getMessage().setBody("hello from Camel"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class))
                .as("the canonical form: a message sent alone is alone in its entry").matches("\\d+:\\d+:\\d+");
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.REQUEST_ID, String.class)).isNotBlank();
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isPositive();
    }

    @Test
    void aTopicCopiedFromTheConsoleWithItsPrefixIsSentAsTheFullPath() {
        long sentBefore = emulator.broker().topicStats(TOPIC).sent();

        Exchange exchange = template.request("tdmq-http:persistent://" + TOPIC + "?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(" + emulator.get().secretId()
                                             + ")&secretKey=RAW(" + emulator.get().secretKey()
                                             + ")&stringToken=RAW(role-key-1)", e -> e.getMessage().setBody("copied"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.TOPIC)).isEqualTo(TOPIC);
        assertThat(emulator.broker().topicStats(TOPIC).sent() - sentBefore).isEqualTo(1);
    }

    @Test
    void aCollectionBodyOfAHundredSendsAHundredMessages() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add("element-" + i);
        }
        long sentBefore = emulator.broker().topicStats(TOPIC).sent();

        Exchange exchange = template.request("direct:in", e -> e.getMessage().setBody(bodies));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class)).hasSize(100)
                .doesNotHaveDuplicates();
        assertThat(emulator.broker().topicStats(TOPIC).sent() - sentBefore).isEqualTo(100);
    }

    @Test
    void concurrentCollectionBodiesAllSucceedAndStoreEveryElementExactlyOnce() throws Exception {
        // 20 route threads with 64 elements each at 50 ms a call: far more sends wait than the send threads can run.
        emulator.faults().latency(Duration.ofMillis(50), Duration.ZERO);
        int exchanges = 20;
        int elements = 64;
        String uri = emulator.camelUri(CONCURRENT_TOPIC) + "&stringToken=RAW(role-key-1)";
        ExecutorService routeThreads = Executors.newFixedThreadPool(exchanges);
        List<CompletableFuture<Exchange>> results = new ArrayList<>();
        try {
            for (int e = 0; e < exchanges; e++) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < elements; i++) {
                    bodies.add("exchange-" + e + "-element-" + i);
                }
                results.add(CompletableFuture.supplyAsync(
                        () -> template.request(uri, exchange -> exchange.getMessage().setBody(bodies)), routeThreads));
            }
            Set<String> messageIds = new HashSet<>();
            for (CompletableFuture<Exchange> result : results) {
                Exchange exchange = result.get(60, TimeUnit.SECONDS);
                assertThat(exchange.getException()).isNull();
                messageIds.addAll(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class));
            }
            assertThat(messageIds).hasSize(exchanges * elements);
        } finally {
            routeThreads.shutdownNow();
        }

        emulator.faults().clear();
        assertThat(emulator.broker().topicStats(CONCURRENT_TOPIC).sent()).isEqualTo(exchanges * elements);
        List<String> stored = new ArrayList<>();
        List<ReceivedMessage> batch;
        do {
            batch = emulator.broker().receive(CONCURRENT_TOPIC, "check", InitialPosition.EARLIEST,
                    new ReceiveLimits(500, 0, Duration.ZERO));
            batch.forEach(message -> stored.add(message.payload()));
        } while (!batch.isEmpty());
        assertThat(stored).hasSize(exchanges * elements).doesNotHaveDuplicates()
                .contains("exchange-0-element-0", "exchange-19-element-63");
    }

    @Test
    void aCollectionBodyKeepsNoMoreSendsInFlightThanTheRateOfItsLimiterNeeds() throws Exception {
        // 50 calls a second at 100 ms: 5 in flight keep the rate; the producer allows twice that plus 4, not the
        // 128 of maxSendsInFlight, which would all wait in the limiter, each on a thread and then a connection.
        emulator.faults().latency(Duration.ofMillis(100), Duration.ZERO);
        Endpoint endpoint = context.getEndpoint(emulator.camelUri(CONCURRENT_TOPIC) + "&stringToken=RAW(role-key-1)"
                                                + "&maxRequestsPerSecond=50");
        TdmqHttpProducer producer = (TdmqHttpProducer) endpoint.createProducer();
        producer.start();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add("paced-" + i);
        }
        Exchange exchange = endpoint.createExchange();
        exchange.getMessage().setBody(bodies);
        long sentBefore = emulator.broker().topicStats(CONCURRENT_TOPIC).sent();
        try {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    producer.process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
            });
            long most = 0;
            while (!sending.isDone()) {
                most = Math.max(most, producer.getCallsInFlight());
                TimeUnit.MILLISECONDS.sleep(10);
            }
            sending.get();

            assertThat(exchange.getException()).isNull();
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class)).hasSize(100);
            assertThat(emulator.broker().topicStats(CONCURRENT_TOPIC).sent() - sentBefore).isEqualTo(100);
            assertThat(most).as("calls in flight at most").isBetween(4L, 2 * 50 * 120 / 1000 + 4L);
        } finally {
            producer.stop();
            emulator.faults().clear();
        }
    }

    @Test
    void stoppingTheProducerInTheMiddleOfACollectionReportsTheElementsItDidNotSend() throws Exception {
        emulator.faults().latency(Duration.ofMillis(300), Duration.ZERO);
        Endpoint endpoint = context.getEndpoint(emulator.camelUri(TOPIC) + "&stringToken=RAW(role-key-1)"
                                                + "&maxSendsInFlight=2");
        Producer producer = endpoint.createProducer();
        producer.start();
        long storedBefore = emulator.broker().topicStats(TOPIC).sent();
        long callsBefore = sendCalls();
        Exchange exchange = endpoint.createExchange();
        exchange.getMessage().setBody(List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"));

        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                producer.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
        });
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sendCalls() - callsBefore >= 2);
        producer.stop();
        sending.get(10, TimeUnit.SECONDS);

        TdmqHttpPartialSendException failure = exchange.getException(TdmqHttpPartialSendException.class);
        assertThat(failure).isNotNull();
        assertThat(failure.getSentMessageIds()).hasSize(2);
        assertThat(failure.getFailures()).hasSize(8).allSatisfy((index, notSent) -> {
            assertThat(notSent.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.NOT_SENT);
            assertThat(notSent.getMessage()).contains("not sent: the producer is stopping");
        });
        assertThat(emulator.broker().topicStats(TOPIC).sent() - storedBefore).isEqualTo(2);
    }

    @Test
    void aSendDuringAnOutageIsRetriedUntilTheServiceListensAgainAndStoredOnce() {
        long storedBefore = emulator.broker().topicStats(TOPIC).sent();
        emulator.get().refuseConnections(Duration.ofMillis(800));

        Exchange exchange = template.request(emulator.camelUri(TOPIC) + "&stringToken=RAW(role-key-1)&maxRetries=30"
                                             + "&retryInitialDelay=50&retryMaxDelay=100",
                e -> e.getMessage().setBody("through the outage"));

        assertThat(exchange.getException()).isNull();
        assertThat(emulator.broker().topicStats(TOPIC).sent() - storedBefore).isOne();
    }

    @Test
    void aWrongSecretKeyIsRefusedOnceWithTheAdviceToCheckIt() {
        long before = sendCalls();
        Exchange exchange = template.request("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(" + emulator.get().secretId()
                                             + ")&secretKey=RAW(not-the-key)&stringToken=RAW(role-key-1)",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(failure.getRequestId()).isNotBlank();
        assertThat(failure.getMessage()).contains("check secretKey").doesNotContain("not-the-key");
        assertThat(sendCalls() - before).isOne();
    }

    @Test
    void anUnknownSecretIdIsRefusedWithTheAdviceToCheckIt() {
        Exchange exchange = template.request("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(AKIDnobody)&secretKey=RAW(x)",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("AuthFailure.SecretIdNotFound");
        assertThat(failure.getMessage()).contains("check secretId");
    }

    @Test
    void aTopicThatDoesNotExistIsRefusedWithTheAdviceToCreateIt() {
        long before = sendCalls();
        Exchange exchange = template.request("direct:in", e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(TdmqHttpConstants.OVERRIDE_TOPIC, "pulsar-x/ns/missing");
        });

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameterValue.TopicNotFound");
        assertThat(failure.getTopic()).isEqualTo("pulsar-x/ns/missing");
        assertThat(failure.getMessage()).contains("Create the topic in the TDMQ console");
        assertThat(sendCalls() - before).isOne();
    }

    @Test
    void aMissingRoleKeyIsRefusedWithTheAdviceToSetStringToken() {
        Exchange exchange = template.request("tdmq-http:pulsar-x/ns/guarded?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(" + emulator.get().secretId()
                                             + ")&secretKey=RAW(" + emulator.get().secretKey() + ")",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameter.TokenNotFound");
        assertThat(failure.getMessage()).contains("Set stringToken");
    }

    @Test
    void aPayloadOfExactlyOneMegabyteIsAccepted() {
        Exchange exchange = template.request("direct:in", e -> e.getMessage().setBody("m".repeat(1024 * 1024)));

        assertThat(exchange.getException()).isNull();
    }

    @Test
    void receivingFromANonPartitionedTopicFailsWithTopicTypeError() throws Exception {
        emulator.broker().createTopic("pulsar-x/ns/flat", 0);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri("pulsar-x/ns/flat") + "&subscription=s&initialDelay=0").routeId("flat")
                        .to("mock:never");
            }
        });
        Health.enableConsumerChecks(context);

        org.awaitility.Awaitility.await().atMost(10, java.util.concurrent.TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(Health.consumer(context, "flat")).hasValueSatisfying(result -> {
                    assertThat(result.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
                    assertThat(result.getError()).hasValueSatisfying(error -> assertThat(error)
                            .hasMessageContaining("FailedOperation.TopicTypeError")
                            .hasMessageContaining("partitioned"));
                }));
    }
}
