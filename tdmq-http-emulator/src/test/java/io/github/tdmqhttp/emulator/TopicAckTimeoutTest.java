package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import io.github.tdmqhttp.emulator.model.BrokerException;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import io.github.tdmqhttp.emulator.model.TopicStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A topic's own ack timeout, as CreateTopic and ModifyTopic set AckTimeOut (60 to 86,400 s on the service; any
 * positive time here): it redelivers what that topic's subscriptions leave unacknowledged, while other topics keep the
 * emulator's default.
 */
class TopicAckTimeoutTest {

    private static final String QUICK_TOPIC = "pulsar-test/default/quick-ack-timeout";
    private static final Duration QUICK = Duration.ofMillis(300);

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(Duration.ofSeconds(30))
            .receiveWait(Duration.ofMillis(300))
            .topic(QUICK_TOPIC, 1, TopicOptions.DEFAULTS.withAckTimeout(QUICK))
            .topic("pulsar-test/default/default-ack-timeout", 1));

    private final TdmqClient client = Sdk.client(emulator.get());

    private static ReceiveMessageRequest waitingUpTo(String topic, long timeoutMillis) {
        ReceiveMessageRequest request = Sdk.receiveEarliest(topic, "s");
        request.setMaxNumMessages(1L);
        request.setTimeout(timeoutMillis);
        return request;
    }

    @Test
    void aTopicsOwnAckTimeoutRedeliversItsMessagesWhileOtherTopicsKeepTheDefault() throws Exception {
        String other = "pulsar-test/default/default-ack-timeout";
        emulator.publish(QUICK_TOPIC, "quick");
        emulator.publish(other, "slow");
        ReceiveMessageResponse quick = client.ReceiveMessage(Sdk.receiveEarliest(QUICK_TOPIC, "s"));
        client.ReceiveMessage(Sdk.receiveEarliest(other, "s"));
        long start = System.nanoTime();

        ReceiveMessageResponse again = client.ReceiveMessage(waitingUpTo(QUICK_TOPIC, 5000));

        assertThat(again.getMessagePayload()).isEqualTo("quick");
        assertThat(again.getMessageIDList()).isEqualTo(quick.getMessageID() + ":0");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(emulator.broker().subscriptionStats(QUICK_TOPIC, "s").redelivered()).isEqualTo(1);
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(waitingUpTo(other, 1000))))
                .isEqualTo("FailedOperation.ReceiveTimeout");
        assertThat(emulator.broker().topicStats(QUICK_TOPIC).ackTimeoutMillis()).isEqualTo(QUICK.toMillis());
        assertThat(emulator.broker().topicStats(other).ackTimeoutMillis()).isEqualTo(30_000);
    }

    @Test
    void theDefaultAckTimeoutChangesOnlyTopicsWithoutTheirOwn() {
        emulator.settings().ackTimeout(Duration.ofSeconds(20));
        try {
            assertThat(emulator.broker().topicStats(QUICK_TOPIC).ackTimeoutMillis()).isEqualTo(QUICK.toMillis());
            assertThat(emulator.broker().topicStats("pulsar-test/default/default-ack-timeout").ackTimeoutMillis())
                    .isEqualTo(20_000);
        } finally {
            emulator.settings().ackTimeout(Duration.ofSeconds(30));
        }
    }

    @Test
    void theAdminApiCreatesATopicWithItsOwnAckTimeout() throws Exception {
        String topic = Topics.unique("admin-ack-timeout");
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(emulator.endpoint() + "/__admin/tdmq/topics"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + topic + "\",\"partitions\":1,"
                        + "\"ackTimeoutMs\":300,\"maxUnacknowledgedMessages\":7}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"ackTimeoutMillis\" : 300", "\"maxUnacknowledgedMessages\" : 7");
        emulator.publish(topic, "x");
        client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        assertThat(client.ReceiveMessage(waitingUpTo(topic, 5000)).getMessagePayload()).isEqualTo("x");
        assertThat(emulator.broker().subscriptionStats(topic, "s").redelivered()).isEqualTo(1);
    }

    @Test
    void aTopicIsNotDeclaredAgainWithOtherOptions() {
        String topic = Topics.unique("options-fixed");
        TopicOptions options = TopicOptions.DEFAULTS.withAckTimeout(Duration.ofSeconds(60));
        emulator.broker().createTopic(topic, 1, options);
        emulator.broker().createTopic(topic, 1, options);

        assertThatThrownBy(() -> emulator.broker().createTopic(topic, 1)).isInstanceOf(BrokerException.class)
                .hasMessageContaining("PT1M");
        TopicStats stats = emulator.broker().topicStats(topic);
        assertThat(stats.ackTimeoutMillis()).isEqualTo(60_000);
    }

    @Test
    void refusesAnAckTimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> TopicOptions.DEFAULTS.withAckTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ackTimeout");
    }
}
