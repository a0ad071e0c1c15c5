package io.github.tdmqhttp.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the component relies on in TDMQ's HTTP API, written once and run against two targets:
 * <ul>
 * <li>{@link OnTheEmulator}, in every build: loopback only, a few seconds;</li>
 * <li>{@link OnTdmq}, a real TDMQ topic, when {@code TDMQ_REGION}, {@code TENCENTCLOUD_SECRET_ID},
 * {@code TENCENTCLOUD_SECRET_KEY} and {@code TDMQ_TEST_TOPIC} (a partitioned topic) are in the environment; skipped
 * with one line saying so otherwise. Optional: {@code TDMQ_ENDPOINT}, {@code TDMQ_ROLE_KEY},
 * {@code TENCENTCLOUD_SESSION_TOKEN}, {@code TDMQ_TEST_TOPIC_NON_PARTITIONED}, {@code TDMQ_TEST_ACK_TIMEOUT} (the
 * subscription's ack timeout you expect, 30s by default: the redelivery test waits up to three times it).</li>
 * </ul>
 * The emulator is what every other test trusts; this suite is how it is held to the service. A test whose behaviour
 * rests on an assumption of the emulator (its README's "Assumptions" table) rather than on Tencent's documentation ends
 * in {@code Assumed} and says what the assumption is; the others cite the page they rest on.
 *
 * <p>Every run names its subscriptions {@code camel-contract-<run>-<test>} and its payloads {@code <run> ...}, so that
 * runs, and other traffic on the topic, do not meet. On a real topic these subscriptions stay behind (the HTTP API
 * cannot delete them): remove them in the console, or use a topic kept for this suite. Messages are sent through the
 * component's endpoints; receives and acknowledgements go through the SDK directly where the component's consumer
 * hides what the service answered (batch sizes, error codes, an empty topic).
 */
class TdmqHttpContractTest {

    /** Where the contract runs: a connection, a partitioned topic, and the timings to expect. */
    record Target(TdmqHttpConfiguration connection, String topic, String nonPartitionedTopic, Duration ackTimeout,
                  Duration batchTimeout, Duration patience) {
    }

    /** The limits of one ReceiveMessage call; all null is a single-message receive. */
    record Limits(Long maxNumMessages, Long maxNumBytes, Long receiverQueueSize, Long timeoutMillis) {
        static final Limits SINGLE = new Limits(null, null, null, null);
    }

    /** One received message, with what acknowledging it needs. */
    record Received(String messageId, String payload, String ackTopic, String subscription) {
    }

    @Nested
    class OnTheEmulator extends Contract {

        private TdmqEmulator emulator;

        @Override
        Target start() {
            emulator = TdmqEmulator.builder()
                    .ackTimeout(Duration.ofSeconds(1)).receiveWait(Duration.ofMillis(200))
                    .topic("pulsar-contract/default/orders", 2)
                    .topic("pulsar-contract/default/plain", 0)
                    .build().start();
            TdmqHttpConfiguration connection = new TdmqHttpConfiguration();
            connection.setEndpoint(emulator.endpoint());
            connection.setRegion(emulator.region());
            connection.setSecretId(emulator.secretId());
            connection.setSecretKey(emulator.secretKey());
            return new Target(connection, "pulsar-contract/default/orders", "pulsar-contract/default/plain",
                    Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(10));
        }

        @Override
        void stop() {
            emulator.stop();
        }
    }

    @Nested
    @ExtendWith(RealTdmqConfigured.class)
    class OnTdmq extends Contract {

        @Override
        Target start() {
            Map<String, String> env = System.getenv();
            TdmqHttpConfiguration connection = new TdmqHttpConfiguration();
            connection.setRegion(env.get("TDMQ_REGION"));
            if (!isBlank(env.get("TDMQ_ENDPOINT"))) {
                connection.setEndpoint(env.get("TDMQ_ENDPOINT"));
            }
            connection.setSecretId(env.get("TENCENTCLOUD_SECRET_ID"));
            connection.setSecretKey(env.get("TENCENTCLOUD_SECRET_KEY"));
            if (!isBlank(env.get("TENCENTCLOUD_SESSION_TOKEN"))) {
                connection.setSessionToken(env.get("TENCENTCLOUD_SESSION_TOKEN"));
            }
            if (!isBlank(env.get("TDMQ_ROLE_KEY"))) {
                connection.setStringToken(env.get("TDMQ_ROLE_KEY"));
            }
            String nonPartitioned = env.get("TDMQ_TEST_TOPIC_NON_PARTITIONED");
            Duration ackTimeout = Duration.ofMillis(TimeUtils.toMilliSeconds(
                    env.getOrDefault("TDMQ_TEST_ACK_TIMEOUT", "30s")));
            return new Target(connection, env.get("TDMQ_TEST_TOPIC"), isBlank(nonPartitioned) ? null : nonPartitioned,
                    ackTimeout, Duration.ofSeconds(2), Duration.ofSeconds(60));
        }

        @Override
        void stop() {
            // Nothing runs locally.
        }
    }

    /** Runs {@link OnTdmq} only when the environment names a TDMQ topic and credentials; says once why not. */
    static class RealTdmqConfigured implements ExecutionCondition {

        static final List<String> REQUIRED = List.of("TDMQ_REGION", "TENCENTCLOUD_SECRET_ID",
                "TENCENTCLOUD_SECRET_KEY", "TDMQ_TEST_TOPIC");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            List<String> missing = REQUIRED.stream().filter(name -> isBlank(System.getenv(name))).toList();
            if (missing.isEmpty()) {
                return ConditionEvaluationResult.enabled("TDMQ configured");
            }
            String reason = "TdmqHttpContractTest against real TDMQ skipped: " + String.join(", ", missing)
                            + " not set (the emulator run always happens; see the README's \"The contract suite\")";
            if (context.getTestClass().filter(OnTdmq.class::equals).isPresent()
                && context.getTestMethod().isEmpty()) {
                System.out.println(reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    /** The contract itself; a subclass names the target. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Contract {

        private final String run = "c" + UUID.randomUUID().toString().substring(0, 8);
        private Target target;
        private DefaultCamelContext camel;
        private ProducerTemplate template;
        private TdmqClient client;

        abstract Target start();

        abstract void stop();

        @BeforeAll
        void connect() throws Exception {
            target = start();
            TdmqHttpComponent component = new TdmqHttpComponent();
            component.setConfiguration(target.connection().copy());
            camel = new DefaultCamelContext();
            camel.addComponent("tdmq-http", component);
            camel.start();
            template = camel.createProducerTemplate();
            client = TdmqHttpClientFactory.create(target.connection(), camel);
        }

        @AfterAll
        void disconnect() throws Exception {
            if (camel != null) {
                camel.close();
            }
            stop();
        }

        // --- Sending and receiving

        /**
         * A message sent through the producer reaches a consumer on the same topic, with the headers acknowledging
         * needs, and its acknowledgement succeeds. Rests on the API reference's four actions
         * (https://www.tencentcloud.com/document/api/1110/44129, 44131, 44132) and on the message id holding the
         * ledger and entry ids (https://www.tencentcloud.com/document/product/1110/42896).
         */
        @Test
        void aSentMessageReachesTheConsumerEndpointAndIsAcknowledged() throws Exception {
            String subscription = subscription("endpoints");
            startAtTheEnd(subscription, Limits.SINGLE);
            String routeId = "contract-consumer-" + run;
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + target.topic() + "?subscription=" + subscription
                         + "&subInitialPosition=Latest&initialDelay=0&delay=100&ackTimeout="
                         + target.ackTimeout().toMillis())
                            .routeId(routeId)
                            .filter(body().startsWith(run))
                            .to("mock:received");
                }
            });
            MockEndpoint received = camel.getEndpoint("mock:received", MockEndpoint.class);
            received.expectedBodiesReceived(run + " through the endpoints");
            received.setResultWaitTime(target.patience().toMillis());

            String sentId = send(run + " through the endpoints");

            received.assertIsSatisfied();
            Exchange exchange = received.getReceivedExchanges().get(0);
            assertThat(ledgerAndEntry(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class)))
                    .isEqualTo(ledgerAndEntry(sentId));
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.ACK_TOPIC, String.class)).isNotBlank();
            assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.SUBSCRIPTION, String.class))
                    .isEqualTo(subscription);
            TdmqHttpConsumer consumer = (TdmqHttpConsumer) camel.getRoute(routeId).getConsumer();
            // Stopping waits for the acknowledgements in flight.
            camel.getRouteController().stopRoute(routeId);
            assertThat(consumer.getAckFailureCount()).isZero();
            camel.removeRoute(routeId);
        }

        /**
         * ReceiveMessage on a subscription name the topic has never seen creates the subscription, at the position
         * asked for; no console step is needed. Assumed: Tencent's pages neither say so nor say the opposite (the
         * TCP client guides ask to create subscriptions in the console); the emulator creates it at first sight.
         */
        @Test
        void aReceiveCreatesTheSubscriptionItNamesAssumed() throws Exception {
            String subscription = subscription("created");

            assertThat(receive(subscription, "Latest", Limits.SINGLE)).isEmpty();
            send(run + " after the first receive");

            // Had the subscription been made only now, at Latest, this message would be missed.
            assertThat(payloads(receiveUntil(subscription, "Latest", Limits.SINGLE,
                    run + " after the first receive")))
                    .contains(run + " after the first receive");
        }

        /**
         * An empty subscription answers the error FailedOperation.ReceiveTimeout, which the component takes for an
         * idle poll. Documented: https://www.tencentcloud.com/document/api/1110/44131 (how long the service waits
         * first is not documented; the emulator waits its receiveWait).
         */
        @Test
        void anEmptySubscriptionAnswersReceiveTimeout() throws Exception {
            String subscription = subscription("empty");
            startAtTheEnd(subscription, Limits.SINGLE);

            assertThatThrownBy(() -> client.ReceiveMessage(receiveRequest(subscription, "Latest", Limits.SINGLE)))
                    .isInstanceOfSatisfying(TencentCloudSDKException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.RECEIVE_TIMEOUT));
        }

        // --- Batch receive: https://www.tencentcloud.com/document/api/1110/44131

        /** A batch receive returns at most MaxNumMessages messages, ids and payloads joined by ### in step. */
        @Test
        void aBatchReceiveStopsAtMaxNumMessages() throws Exception {
            Limits limits = new Limits(3L, null, null, target.batchTimeout().toMillis());
            List<List<Received>> batches = receiveFiveInBatches("count", limits);

            assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
            assertThat(batches).anySatisfy(batch -> assertThat(batch).hasSize(3));
        }

        /** A batch receive returns at most MaxNumBytes of payload (a first message larger than that goes alone). */
        @Test
        void aBatchReceiveStopsAtMaxNumBytes() throws Exception {
            Limits limits = new Limits(10L, 250L, null, target.batchTimeout().toMillis());
            List<List<Received>> batches = receiveFiveInBatches("bytes", limits);

            // Five payloads of 100 bytes: 250 bytes hold two of them.
            assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
            assertThat(batches).anySatisfy(batch -> assertThat(batch).hasSize(2));
        }

        /** ReceiverQueueSize caps MaxNumMessages: a queue of 2 and MaxNumMessages of 10 receive 2 at most. */
        @Test
        void receiverQueueSizeCapsABatch() throws Exception {
            Limits limits = new Limits(10L, null, 2L, target.batchTimeout().toMillis());
            List<List<Received>> batches = receiveFiveInBatches("queue", limits);

            assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
            assertThat(batches).anySatisfy(batch -> assertThat(batch).hasSize(2));
        }

        // --- Where a new subscription starts: SubInitialPosition, https://www.tencentcloud.com/document/api/1110/44131

        /** A new subscription at Earliest receives a message sent before it existed. */
        @Test
        void earliestStartsANewSubscriptionAtTheOldestMessage() throws Exception {
            String before = run + " before the earliest subscription";
            send(before);

            assertThat(payloads(receiveUntil(subscription("earliest"), "Earliest",
                    new Limits(100L, null, null, target.batchTimeout().toMillis()), before)))
                    .contains(before);
        }

        /** A new subscription at Latest receives only what is sent after it was created. */
        @Test
        void latestStartsANewSubscriptionAtTheNextMessage() throws Exception {
            String subscription = subscription("latest");
            String before = run + " before the latest subscription";
            String after = run + " after the latest subscription";
            send(before);
            List<Received> received = new ArrayList<>(receive(subscription, "Latest", Limits.SINGLE));
            acknowledge(received);
            send(after);

            received.addAll(receiveUntil(subscription, "Latest", Limits.SINGLE, after));

            assertThat(payloads(received)).contains(after).doesNotContain(before);
        }

        // --- Acknowledgement and redelivery

        /**
         * A message received and not acknowledged is not handed out again at once, comes back with the same id once
         * the subscription's ack timeout has passed, and, once acknowledged, does not come back. Assumed: TDMQ does
         * not document an ack timeout for HTTP subscriptions nor its value (the emulator's is 30 s by default, the
         * component's ackTimeout option too); on a real topic this test prints how long redelivery took.
         */
        @Test
        void anUnacknowledgedMessageComesBackAfterTheAckTimeoutAssumed() throws Exception {
            String subscription = subscription("redelivery");
            startAtTheEnd(subscription, Limits.SINGLE);
            String payload = run + " not acknowledged";
            String sentId = send(payload);
            Received first = only(receiveUntil(subscription, "Latest", Limits.SINGLE, payload), payload);
            long receivedAt = System.nanoTime();

            assertThat(payloads(receive(subscription, "Latest", Limits.SINGLE))).doesNotContain(payload);

            Duration bound = target.ackTimeout().multipliedBy(3).plus(target.patience());
            Received again = only(receiveUntil(subscription, "Latest", Limits.SINGLE, payload, bound), payload);
            Duration after = Duration.ofNanos(System.nanoTime() - receivedAt);
            System.out.printf("TdmqHttpContractTest: %s redelivered an unacknowledged message after %.1f s%n",
                    getClass().getSimpleName(), after.toMillis() / 1000.0);
            assertThat(ledgerAndEntry(again.messageId())).isEqualTo(ledgerAndEntry(first.messageId()))
                    .isEqualTo(ledgerAndEntry(sentId));

            acknowledge(List.of(again));
            long quietUntil = System.nanoTime() + target.ackTimeout().multipliedBy(3).dividedBy(2).toNanos();
            while (System.nanoTime() < quietUntil) {
                List<Received> later = receive(subscription, "Latest", Limits.SINGLE);
                acknowledge(later);
                assertThat(payloads(later)).as("an acknowledged message came back").doesNotContain(payload);
            }
        }

        // --- Error codes: https://www.tencentcloud.com/document/api/1110/44171 and the API 3.0 common errors

        /** A request signed with the wrong SecretKey answers AuthFailure.SignatureFailure, which no retry mends. */
        @Test
        void aWrongSecretKeyAnswersSignatureFailure() {
            String uri = "tdmq-http:" + target.topic() + "?secretKey=RAW(not-the-" + run + "-key)";

            Exchange sent = template.request(uri, exchange -> exchange.getMessage().setBody(run + " wrong key"));

            assertThat(sent.getException()).isInstanceOfSatisfying(TdmqHttpException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo("AuthFailure.SignatureFailure");
                assertThat(e.isRetryable()).isFalse();
            });
        }

        /** A send to a topic that does not exist answers InvalidParameterValue.TopicNotFound. */
        @Test
        void aMissingTopicAnswersTopicNotFound() {
            String namespace = target.topic().substring(0, target.topic().lastIndexOf('/'));
            String missing = namespace + "/camel-contract-missing-" + run;

            Exchange sent = template.request("tdmq-http:" + missing,
                    exchange -> exchange.getMessage().setBody(run + " nowhere"));

            assertThat(sent.getException()).isInstanceOfSatisfying(TdmqHttpException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo("InvalidParameterValue.TopicNotFound");
                assertThat(e.isRetryable()).isFalse();
            });
        }

        /** ReceiveMessage on a non-partitioned topic answers FailedOperation.TopicTypeError (44131: partitioned only). */
        @Test
        void receivingFromANonPartitionedTopicAnswersTopicTypeError() {
            assumeTrue(target.nonPartitionedTopic() != null, "TDMQ_TEST_TOPIC_NON_PARTITIONED not set");
            ReceiveMessageRequest request = receiveRequest(subscription("plain"), "Latest", Limits.SINGLE);
            request.setTopic(target.nonPartitionedTopic());

            assertThatThrownBy(() -> client.ReceiveMessage(request))
                    .isInstanceOfSatisfying(TencentCloudSDKException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo("FailedOperation.TopicTypeError"));
        }

        // --- Helpers

        private String subscription(String test) {
            return "camel-contract-" + run + "-" + test;
        }

        /** Sends through the producer endpoint and answers the message id. */
        private String send(String payload) {
            Exchange sent = template.request("tdmq-http:" + target.topic(),
                    exchange -> exchange.getMessage().setBody(payload));
            if (sent.getException() != null) {
                throw new AssertionError("Sending failed: " + sent.getException().getMessage(), sent.getException());
            }
            return sent.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class);
        }

        /**
         * Creates the subscription at the end of the topic with a first receive (made with the same limits as the
         * test's later receives, in case the service keeps a consumer per subscription), acknowledging whatever
         * other traffic it brings.
         */
        private void startAtTheEnd(String subscription, Limits limits) throws TencentCloudSDKException {
            acknowledge(receive(subscription, "Latest", limits));
        }

        /** Five messages of 100 bytes on a new subscription, received with the given limits; every batch, in order. */
        private List<List<Received>> receiveFiveInBatches(String test, Limits limits) throws Exception {
            String subscription = subscription(test);
            startAtTheEnd(subscription, limits);
            List<String> payloads = IntStream.rangeClosed(1, 5)
                    .mapToObj(i -> padded(run + " " + test + " " + i, 100)).toList();
            template.requestBody("tdmq-http:" + target.topic(), payloads);

            List<List<Received>> batches = new ArrayList<>();
            Set<String> missing = new HashSet<>(payloads);
            long deadline = System.nanoTime() + target.patience().toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                List<Received> batch = receive(subscription, "Latest", limits);
                if (!batch.isEmpty()) {
                    batches.add(batch);
                    acknowledge(batch);
                    payloads(batch).forEach(missing::remove);
                }
            }
            assertThat(missing).as("messages not received within %s", target.patience()).isEmpty();
            return batches;
        }

        private List<Received> receiveUntil(String subscription, String position, Limits limits, String payload)
                throws TencentCloudSDKException {
            return receiveUntil(subscription, position, limits, payload, target.patience());
        }

        /**
         * Receives until a message with the payload arrives, acknowledging the others; answers everything received.
         * The message looked for is left unacknowledged.
         */
        private List<Received> receiveUntil(String subscription, String position, Limits limits, String payload,
                                            Duration patience) throws TencentCloudSDKException {
            List<Received> all = new ArrayList<>();
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline) {
                List<Received> received = receive(subscription, position, limits);
                all.addAll(received);
                acknowledge(received.stream().filter(message -> !message.payload().equals(payload)).toList());
                if (payloads(received).contains(payload)) {
                    return all;
                }
            }
            return fail("'%s' not received on %s within %s", payload, subscription, patience);
        }

        /** One ReceiveMessage call; ReceiveTimeout answers no message. */
        private List<Received> receive(String subscription, String position, Limits limits)
                throws TencentCloudSDKException {
            ReceiveMessageResponse answer;
            try {
                answer = client.ReceiveMessage(receiveRequest(subscription, position, limits));
            } catch (TencentCloudSDKException e) {
                if (TdmqHttpErrorCodes.RECEIVE_TIMEOUT.equals(e.getErrorCode())) {
                    return List.of();
                }
                throw e;
            }
            assertThat(answer.getErrorMsg()).as("ErrorMsg").isIn(null, "", "success");
            if (limits.equals(Limits.SINGLE)) {
                return List.of(new Received(answer.getMessageID(), answer.getMessagePayload(), answer.getAckTopic(),
                        answer.getSubName()));
            }
            List<String> ids = Arrays.asList(answer.getMessageIDList().split("###", -1));
            List<String> payloads = Arrays.asList(answer.getMessagesPayload().split("###", -1));
            assertThat(payloads).as("payloads of ids %s", ids).hasSameSizeAs(ids);
            return IntStream.range(0, ids.size())
                    .mapToObj(i -> new Received(ids.get(i), payloads.get(i), answer.getAckTopic(), answer.getSubName()))
                    .toList();
        }

        private ReceiveMessageRequest receiveRequest(String subscription, String position, Limits limits) {
            ReceiveMessageRequest request = new ReceiveMessageRequest();
            request.setTopic(target.topic());
            request.setSubscriptionName(subscription);
            request.setSubInitialPosition(position);
            request.setMaxNumMessages(limits.maxNumMessages());
            request.setMaxNumBytes(limits.maxNumBytes());
            request.setReceiverQueueSize(limits.receiverQueueSize());
            request.setTimeout(limits.timeoutMillis());
            return request;
        }

        private void acknowledge(List<Received> messages) throws TencentCloudSDKException {
            for (Received message : messages) {
                AcknowledgeMessageRequest request = new AcknowledgeMessageRequest();
                request.setMessageId(message.messageId());
                request.setAckTopic(message.ackTopic());
                request.setSubName(message.subscription());
                AcknowledgeMessageResponse answer = client.AcknowledgeMessage(request);
                assertThat(answer.getErrorMsg()).as("ErrorMsg of the ack of %s", message.messageId())
                        .isIn(null, "", "success");
            }
        }

        private static Received only(List<Received> received, String payload) {
            return received.stream().filter(message -> message.payload().equals(payload)).findFirst().orElseThrow();
        }

        private static List<String> payloads(List<Received> received) {
            return received.stream().map(Received::payload).toList();
        }

        /** The ledger and entry ids, which a send's four-part id and a receive's three- or four-part id share. */
        private static String ledgerAndEntry(String messageId) {
            String[] parts = messageId.split(":");
            return parts[0] + ":" + parts[1];
        }

        private static String padded(String text, int length) {
            return text + ".".repeat(length - text.length());
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
