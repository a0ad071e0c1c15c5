package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limit of unacknowledged messages per subscription and partition: 5,000 by default on the service (product doc
 * 1110/68959); past it the service stops delivering to that subscription on that partition until acks arrive.
 */
class UnacknowledgedLimitTest {

    private static final int LIMIT = 3;
    private static final Duration RECEIVE_WAIT = Duration.ofMillis(300);

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .maxUnacknowledgedMessages(LIMIT)
            .receiveWait(RECEIVE_WAIT));

    private final TdmqClient client = Sdk.client(emulator.get());

    private static void publish(String topic, int count) {
        for (int i = 0; i < count; i++) {
            emulator.broker().publish(topic, "m" + i);
        }
    }

    private static ReceiveMessageRequest batch(String topic, long maxMessages, long timeoutMillis) {
        ReceiveMessageRequest request = Sdk.receiveEarliest(topic, "s");
        request.setMaxNumMessages(maxMessages);
        request.setTimeout(timeoutMillis);
        return request;
    }

    private static String[] ids(ReceiveMessageResponse response) {
        return response.getMessageIDList().split("###", -1);
    }

    @Test
    void stopsDeliveringPastTheLimitAsAnEmptyTopicWouldUntilAnAckArrives() throws Exception {
        String topic = Topics.unique("blocked");
        publish(topic, LIMIT + 2);
        ReceiveMessageResponse first = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        for (int i = 1; i < LIMIT; i++) {
            client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        }
        long start = System.nanoTime();

        TencentCloudSDKException idle = Sdk.failure(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")));

        assertThat(idle.getErrorCode()).isEqualTo("FailedOperation.ReceiveTimeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(RECEIVE_WAIT);
        SubscriptionStats blocked = emulator.broker().subscriptionStats(topic, "s");
        assertThat(blocked.unacknowledged()).isEqualTo(LIMIT);
        assertThat(blocked.blockedOnUnacknowledged()).isTrue();
        assertThat(blocked.backlog()).isEqualTo(LIMIT + 2);

        client.AcknowledgeMessage(Sdk.ack(first));

        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("m" + LIMIT);
        assertThat(emulator.broker().subscriptionStats(topic, "s").blockedOnUnacknowledged()).isTrue();
    }

    @Test
    void countsTheLimitForEachPartitionOnItsOwn() throws Exception {
        String topic = Topics.unique("per-partition");
        emulator.broker().createTopic(topic, 2);
        // Round-robin: m0, m2, m4, m6 on partition 0; m1, m3, m5, m7 on partition 1.
        publish(topic, 8);

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 10, 500));

        assertThat(received.getMessagesPayload().split("###")).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
        assertThat(emulator.broker().subscriptionStats(topic, "s").unacknowledged()).isEqualTo(2L * LIMIT);
        String onPartitionOne = ids(received)[1];

        client.AcknowledgeMessage(Sdk.ack(onPartitionOne, topic, "s"));

        ReceiveMessageResponse more = client.ReceiveMessage(batch(topic, 10, 300));
        assertThat(more.getMessagesPayload()).isEqualTo("m7");
    }

    @Test
    void anAcknowledgementWakesAReceiverWaitingOnTheBlockedSubscription() throws Exception {
        String topic = Topics.unique("wake-on-ack");
        publish(topic, LIMIT + 1);
        ReceiveMessageResponse first = client.ReceiveMessage(batch(topic, LIMIT, 500));
        long receivesBefore = emulator.get().requestStats().get("ReceiveMessage").requests();
        long start = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return Sdk.client(emulator.get()).ReceiveMessage(batch(topic, 1, 8000));
            } catch (TencentCloudSDKException unexpected) {
                throw new IllegalStateException(unexpected);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> emulator.get().requestStats().get("ReceiveMessage").requests() > receivesBefore);

        client.AcknowledgeMessage(Sdk.ack(ids(first)[0], topic, "s"));

        assertThat(waiting.get(6, TimeUnit.SECONDS).getMessagePayload()).isEqualTo("m" + LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void messagesPastTheirAckTimeoutNoLongerCountAndComeBackFirst() throws Exception {
        String topic = Topics.unique("expiry-frees");
        emulator.broker().createTopic(topic, 1, TopicOptions.DEFAULTS.withAckTimeout(Duration.ofMillis(300)));
        publish(topic, LIMIT + 1);
        client.ReceiveMessage(batch(topic, LIMIT, 500));

        ReceiveMessageResponse again = client.ReceiveMessage(batch(topic, 1, 3000));

        // A consumer asks for redelivery of what timed out, so it leaves the unacknowledged count.
        assertThat(again.getMessagesPayload()).isEqualTo("m0");
    }

    @Test
    void aTopicMayHaveALimitOfItsOwnAndZeroMeansNone() throws Exception {
        String strict = Topics.unique("own-limit");
        emulator.broker().createTopic(strict, 1, TopicOptions.DEFAULTS.withMaxUnacknowledgedMessages(1));
        String unlimited = Topics.unique("no-limit");
        emulator.broker().createTopic(unlimited, 1, TopicOptions.DEFAULTS.withMaxUnacknowledgedMessages(0));
        publish(strict, 2);
        publish(unlimited, LIMIT + 2);

        client.ReceiveMessage(Sdk.receiveEarliest(strict, "s"));
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest(strict, "s"))))
                .isEqualTo("FailedOperation.ReceiveTimeout");
        assertThat(ids(client.ReceiveMessage(batch(unlimited, 10, 300)))).hasSize(LIMIT + 2);
        assertThat(emulator.broker().topicStats(strict).maxUnacknowledgedMessages()).isEqualTo(1);
        assertThat(emulator.broker().topicStats(unlimited).maxUnacknowledgedMessages()).isZero();
    }

    @Test
    void theServicesLimitOf5000IsTheDefault() throws Exception {
        try (TdmqEmulator defaults = TdmqEmulator.builder().topic("pulsar-test/default/five-thousand").build()
                .start()) {
            String topic = "pulsar-test/default/five-thousand";
            for (int i = 0; i <= Broker.DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES; i++) {
                defaults.broker().publish(topic, "m" + i);
            }
            TdmqClient own = Sdk.client(defaults);
            int received = 0;
            for (int call = 0; call < 5; call++) {
                // ReceiverQueueSize (default 1000) caps each batch.
                received += ids(own.ReceiveMessage(batch(topic, 1000, 2000))).length;
            }

            assertThat(received).isEqualTo(5000);
            assertThat(Sdk.errorCode(() -> own.ReceiveMessage(batch(topic, 1, 200))))
                    .isEqualTo("FailedOperation.ReceiveTimeout");
            assertThat(defaults.broker().subscriptionStats(topic, "s").blockedOnUnacknowledged()).isTrue();
            assertThat(defaults.settings().maxUnacknowledgedMessages()).isEqualTo(5000);
        }
    }

    @Test
    void noLimitIsANamedLeniencyAndTheLimitCanChangeWhileRunning() throws Exception {
        assertThat(TdmqEmulator.builder().noUnacknowledgedLimit().build().settings().maxUnacknowledgedMessages())
                .isZero();
        String topic = Topics.unique("raised");
        publish(topic, LIMIT + 1);
        client.ReceiveMessage(batch(topic, 10, 300));
        emulator.settings().maxUnacknowledgedMessages(LIMIT + 1);
        try {
            assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload())
                    .isEqualTo("m" + LIMIT);
        } finally {
            emulator.settings().maxUnacknowledgedMessages(LIMIT);
        }
    }

    @Test
    void theAdminStatsShowTheUnacknowledgedCountAndTheBlockedFlag() throws Exception {
        String topic = Topics.unique("admin-blocked");
        publish(topic, LIMIT);
        client.ReceiveMessage(batch(topic, LIMIT, 300));

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(emulator.endpoint() + "/__admin/tdmq/stats")).build(), HttpResponse.BodyHandlers.ofString());

        JsonNode subscription = null;
        for (JsonNode candidate : new ObjectMapper().readTree(answer.body()).get("topics")) {
            if (candidate.get("topic").asText().equals(topic)) {
                subscription = candidate.get("subscriptions").get(0);
                assertThat(candidate.get("maxUnacknowledgedMessages").asInt()).isEqualTo(LIMIT);
            }
        }
        assertThat(subscription).isNotNull();
        assertThat(subscription.get("unacknowledged").asLong()).isEqualTo(LIMIT);
        assertThat(subscription.get("blockedOnUnacknowledged").asBoolean()).isTrue();
        assertThat(new ObjectMapper().readTree(answer.body()).get("settings").get("maxUnacknowledgedMessages").asInt())
                .isEqualTo(LIMIT);
    }
}
