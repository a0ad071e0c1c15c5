package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import io.github.tdmqhttp.emulator.model.TopicStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics: declared or auto-created, their names, partitioned or not, role tokens, and the 1 MB limit. */
class TopicsTest {

    private static final int ONE_MEGABYTE = 1_048_576;

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .receiveWait(Duration.ofMillis(200))
            .topic("pulsar-test/default/plain", 0)
            .topic("pulsar-test/default/four-partitions", 4));

    private final TdmqClient client = Sdk.client(emulator.get());
    private TdmqEmulator other;

    @AfterEach
    void stopOtherEmulator() {
        if (other != null) {
            other.stop();
        }
    }

    /** A fresh topic of the test's own, declared as the console would create it. */
    private static String declared(String name) {
        String topic = Topics.unique(name);
        emulator.broker().createTopic(topic, 1);
        return topic;
    }

    @Test
    void autoCreatesAnUnknownTopicOnFirstSendWithOnePartitionOnlyWhenAskedTo() throws Exception {
        other = TdmqEmulator.builder().autoCreateTopics(true).build().start();
        String topic = Topics.unique("auto");

        Sdk.client(other).SendMessages(Sdk.send(topic, "hi"));

        assertThat(other.broker().topicStats(topic).partitions()).isEqualTo(1);
        assertThat(other.broker().topicStats(topic).sent()).isEqualTo(1);
    }

    @Test
    void createsAutoTopicsWithTheConfiguredPartitions() throws Exception {
        other = TdmqEmulator.builder().autoCreateTopics(true).defaultPartitions(3).build().start();
        String topic = Topics.unique("auto");

        Sdk.client(other).SendMessages(Sdk.send(topic, "hi"));

        assertThat(other.broker().topicStats(topic).partitions()).isEqualTo(3);
    }

    @Test
    void refusesATopicOnAClusterWithNoDeclaredTopicAsAnUnknownTenant() {
        other = TdmqEmulator.builder().topic("pulsar-known/default/orders").build().start();
        TdmqClient strict = Sdk.client(other);

        assertThat(Sdk.errorCode(() -> strict.SendMessages(Sdk.send("pulsar-mistyped/default/orders", "hi"))))
                .isEqualTo("InvalidParameter.TenantNotFound");
        assertThat(Sdk.errorCode(() -> strict.ReceiveMessage(Sdk.receiveEarliest("pulsar-mistyped/default/orders",
                "s")))).isEqualTo("InvalidParameter.TenantNotFound");
        assertThat(Sdk.errorCode(() -> strict.SendMessages(Sdk.send("pulsar-known/default/order", "hi"))))
                .isEqualTo("InvalidParameterValue.TopicNotFound");
    }

    @Test
    void refusesUndeclaredTopicsByDefaultAsTheServiceDoes() {
        other = TdmqEmulator.builder().topic("pulsar-test/default/declared").build().start();
        TdmqClient strict = Sdk.client(other);
        String topic = Topics.unique("unknown");

        assertThat(Sdk.errorCode(() -> strict.SendMessages(Sdk.send(topic, "hi"))))
                .isEqualTo("InvalidParameterValue.TopicNotFound");
        assertThat(Sdk.errorCode(() -> strict.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))))
                .isEqualTo("InvalidParameterValue.TopicNotFound");
        assertThat(Sdk.errorCode(() -> strict.AcknowledgeMessage(Sdk.ack("71:0:0", topic, "s"))))
                .isEqualTo("InvalidParameterValue.TopicNotFound");
        assertThat(other.broker().stats()).extracting(TopicStats::topic).containsExactly("pulsar-test/default/declared");
    }

    @Test
    void servesDeclaredTopics() throws Exception {
        other = TdmqEmulator.builder().topic("pulsar-test/default/known", 2).build().start();
        TdmqClient strict = Sdk.client(other);

        strict.SendMessages(Sdk.send("pulsar-test/default/known", "hi"));

        assertThat(strict.ReceiveMessage(Sdk.receiveEarliest("pulsar-test/default/known", "s")).getMessagePayload())
                .isEqualTo("hi");
    }

    @Test
    void refusesToReceiveFromANonPartitionedTopic() {
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest("pulsar-test/default/plain", "s"))))
                .isEqualTo("FailedOperation.TopicTypeError");
    }

    @Test
    void sendsToANonPartitionedTopicWithPartitionMinusOne() throws Exception {
        assertThat(client.SendMessages(Sdk.send("pulsar-test/default/plain", "hi")).getMessageId())
                .matches("\\d+:\\d+:-1:0");
    }

    @Test
    void spreadsMessagesOverPartitionsInTurn() throws Exception {
        List<String> partitions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = client.SendMessages(Sdk.send("pulsar-test/default/four-partitions", "m" + i)).getMessageId();
            partitions.add(id.split(":")[2]);
        }

        assertThat(partitions).containsExactly("0", "1", "2", "3", "0", "1", "2", "3");
    }

    @Test
    void acceptsThePersistentPrefixAndShortNamesForTheDefaultNamespace() throws Exception {
        String topic = declared("prefixed");
        emulator.broker().createTopic("public/default/short-name", 1);

        client.SendMessages(Sdk.send("persistent://" + topic, "with the prefix"));
        client.SendMessages(Sdk.send("short-name", "short"));

        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload())
                .isEqualTo("with the prefix");
        ReceiveMessageResponse shortOne = client.ReceiveMessage(Sdk.receiveEarliest("persistent://public/default"
                + "/short-name", "s"));
        assertThat(shortOne.getMessagePayload()).isEqualTo("short");
        assertThat(client.AcknowledgeMessage(Sdk.ack(shortOne)).getErrorMsg()).isEqualTo("success");
        assertThat(emulator.broker().subscriptionStats("short-name", "s").acked()).isEqualTo(1);
    }

    @Test
    void refusesTopicNamesInNoFormTheServiceAccepts() {
        for (String malformed : new String[] {"default/orders", "non-persistent://pulsar-test/default/x",
                "a/b/c/d", "pulsar-test//x", "persistent://orders"}) {
            assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send(malformed, "hi")))).as(malformed)
                    .isEqualTo("InvalidParameterValue");
        }
    }

    @Test
    void numbersLedgersFromARandomStartUnlessOneIsFixed() throws Exception {
        try (TdmqEmulator fixed = TdmqEmulator.builder().firstLedgerId(71).topic("a/b/c").build();
             TdmqEmulator first = TdmqEmulator.builder().topic("a/b/c").build();
             TdmqEmulator second = TdmqEmulator.builder().topic("a/b/c").build()) {

            assertThat(fixed.publish("a/b/c", "x")).isEqualTo("71:0:0:0");
            // Two runs drawing the same start out of 2^40 would be a failure of the randomness, not bad luck.
            assertThat(first.publish("a/b/c", "x")).isNotEqualTo(second.publish("a/b/c", "x"));
        }
    }

    @Test
    void answersTheOfficialMessageIdShape() throws Exception {
        String topic = declared("ids");

        String first = client.SendMessages(Sdk.send(topic, "a")).getMessageId();
        String second = client.SendBatchMessages(Sdk.sendBatch(topic, "b")).getMessageId();

        // ledger:entry:partition:batchIndex, as in the official example 71:11:0:0; entries count up per partition
        assertThat(first).matches("\\d+:0:0:0");
        assertThat(second).matches("\\d+:1:0:0");
    }

    @Test
    void requiresOneOfTheRoleTokensWhenTokensAreConfigured() throws Exception {
        String topic = Topics.unique("guarded");
        other = TdmqEmulator.builder().stringTokens("role-key-1", "role-key-2").topic(topic).build().start();
        TdmqClient guarded = Sdk.client(other);
        SendMessagesRequest withoutToken = Sdk.send(topic, "hi");
        SendMessagesRequest withWrongToken = Sdk.send(topic, "hi");
        withWrongToken.setStringToken("guessed");
        SendBatchMessagesRequest batchWithoutToken = Sdk.sendBatch(topic, "hi");
        SendMessagesRequest withToken = Sdk.send(topic, "hi");
        withToken.setStringToken("role-key-2");

        assertThat(Sdk.errorCode(() -> guarded.SendMessages(withoutToken))).isEqualTo("InvalidParameter.TokenNotFound");
        assertThat(Sdk.errorCode(() -> guarded.SendMessages(withWrongToken))).isEqualTo("InvalidParameter.TokenNotFound");
        assertThat(Sdk.errorCode(() -> guarded.SendBatchMessages(batchWithoutToken)))
                .isEqualTo("InvalidParameter.TokenNotFound");
        assertThat(guarded.SendMessages(withToken).getErrorMsg()).isEqualTo("success");
        assertThat(other.broker().topicStats(topic).sent()).isEqualTo(1);
    }

    @Test
    void ignoresStringTokensWhenNoneAreConfigured() throws Exception {
        SendMessagesRequest request = Sdk.send(declared("open"), "hi");
        request.setStringToken("anything");

        assertThat(client.SendMessages(request).getErrorMsg()).isEqualTo("success");
    }

    @Test
    void refusesAPayloadJustOverOneMegabyte() {
        String topic = declared("large");

        TencentCloudSDKException failure =
                Sdk.failure(() -> client.SendMessages(Sdk.send(topic, "x".repeat(ONE_MEGABYTE + 1))));

        assertThat(failure.getErrorCode()).isEqualTo("FailedOperation.MaxMessageSizeError");
        assertThat(emulator.broker().stats()).noneMatch(stats -> stats.topic().equals(topic) && stats.sent() > 0);
    }

    @Test
    void acceptsAPayloadOfExactlyOneMegabyteAndDeliversItWhole() throws Exception {
        String topic = declared("large");
        String payload = "x".repeat(ONE_MEGABYTE);

        client.SendMessages(Sdk.send(topic, payload));
        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

        assertThat(received.getMessagePayload()).isEqualTo(payload);
    }

    @Test
    void countsTheLimitInUtf8Bytes() {
        // 524,289 two-byte characters: half a million characters, but 1,048,578 bytes.
        String payload = "é".repeat(ONE_MEGABYTE / 2 + 1);

        assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send(declared("utf8"), payload))))
                .isEqualTo("FailedOperation.MaxMessageSizeError");
    }

    @Test
    void carriesUnicodePayloadsUnchanged() throws Exception {
        String topic = declared("unicode");
        String payload = "订单 ✓ \uD83D\uDE80 \"quoted\" \\ back\nslash\ttab \u0001 control \u2028";

        client.SendMessages(Sdk.send(topic, payload));

        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo(payload);
    }
}
