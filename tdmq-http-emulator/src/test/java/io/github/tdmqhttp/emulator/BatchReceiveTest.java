package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Batch receive: each of its limits, the queue size cap, and the ### join. */
class BatchReceiveTest {

    private static final Duration RECEIVE_WAIT = Duration.ofMillis(300);

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .receiveWait(RECEIVE_WAIT));

    private final TdmqClient client = Sdk.client(emulator.get());

    private static ReceiveMessageRequest batch(String topic, Long maxMessages, Long maxBytes, Long timeoutMillis) {
        ReceiveMessageRequest request = Sdk.receiveEarliest(topic, "batch");
        request.setMaxNumMessages(maxMessages);
        request.setMaxNumBytes(maxBytes);
        request.setTimeout(timeoutMillis);
        return request;
    }

    private static List<String> publish(String topic, String... payloads) {
        List<String> ids = new ArrayList<>();
        for (String payload : payloads) {
            ids.add(emulator.publish(topic, payload));
        }
        return ids;
    }

    private static String[] ids(ReceiveMessageResponse response) {
        return response.getMessageIDList().split("###", -1);
    }

    private static String[] payloads(ReceiveMessageResponse response) {
        return response.getMessagesPayload().split("###", -1);
    }

    @Test
    void singleReceiveFillsBothListsWithTheOneMessage() throws Exception {
        String topic = Topics.unique("single");
        publish(topic, "one", "two");

        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

        assertThat(received.getMessagePayload()).isEqualTo("one");
        // The reference's single-message example: a three-part id, in both fields.
        assertThat(received.getMessageID()).matches("\\d+:\\d+:\\d+");
        assertThat(received.getMessageIDList()).isEqualTo(received.getMessageID());
        assertThat(received.getMessagesPayload()).isEqualTo("one");
    }

    @Test
    void batchEndsAtMaxNumMessagesWithoutWaitingForTheTimeout() throws Exception {
        String topic = Topics.unique("count");
        publish(topic, "a", "b", "c", "d", "e", "f");
        long start = System.nanoTime();

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 4L, null, 8000L));

        assertThat(payloads(received)).containsExactly("a", "b", "c", "d");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void maxNumMessagesIsCappedByTheReceiverQueueSize() throws Exception {
        String topic = Topics.unique("queue-cap");
        publish(topic, "a", "b", "c", "d", "e");
        ReceiveMessageRequest request = batch(topic, 10L, null, 8000L);
        request.setReceiverQueueSize(3L);

        ReceiveMessageResponse received = client.ReceiveMessage(request);

        assertThat(payloads(received)).containsExactly("a", "b", "c");
    }

    @Test
    void batchEndsAtMaxNumBytes() throws Exception {
        String topic = Topics.unique("bytes");
        publish(topic, "0123456789", "abcdefghij", "ABCDEFGHIJ", "klmnopqrst");

        // 25 bytes: two 10-byte messages fit, a third would make 30.
        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, null, 25L, 8000L));

        assertThat(payloads(received)).containsExactly("0123456789", "abcdefghij");
    }

    @Test
    void aMessageLargerThanMaxNumBytesStillGoesAlone() throws Exception {
        String topic = Topics.unique("oversized");
        publish(topic, "x".repeat(100), "y");

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, null, 10L, 8000L));

        assertThat(payloads(received)).containsExactly("x".repeat(100));
    }

    @Test
    void batchEndsAtTheTimeoutWithWhatItHas() throws Exception {
        String topic = Topics.unique("timeout");
        publish(topic, "a", "b");
        long start = System.nanoTime();

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 10L, null, 400L));

        assertThat(payloads(received)).containsExactly("a", "b");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    }

    @Test
    void batchWithoutTimeoutWaitsTheReceiveWait() throws Exception {
        String topic = Topics.unique("default-timeout");
        publish(topic, "a");
        long start = System.nanoTime();

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 10L, null, null));

        assertThat(payloads(received)).containsExactly("a");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(RECEIVE_WAIT.minusMillis(50));
    }

    @Test
    void emptyBatchAnswersReceiveTimeout() {
        TencentCloudSDKException failure =
                Sdk.failure(() -> client.ReceiveMessage(batch(Topics.unique("empty"), 10L, null, 200L)));

        assertThat(failure.getErrorCode()).isEqualTo("FailedOperation.ReceiveTimeout");
    }

    @Test
    void batchJoinsIdsAndPayloadsWithThreeHashes() throws Exception {
        String topic = Topics.unique("join");
        List<String> sentIds = publish(topic, "a", "b", "c");

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 3L, null, 5000L));

        assertThat(received.getMessagesPayload()).isEqualTo("a###b###c");
        assertThat(ids(received)).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(ids(received)[i]).isEqualTo(sentIds.get(i));
        }
        assertThat(received.getMessageID()).isEqualTo(ids(received)[0]);
        assertThat(received.getMessagePayload()).isEqualTo("a");
    }

    @Test
    void everyMessageOfABatchIsAcknowledgedOnItsOwn() throws Exception {
        String topic = Topics.unique("batch-ack");
        publish(topic, "a", "b", "c");
        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 3L, null, 5000L));

        for (String id : ids(received)) {
            client.AcknowledgeMessage(Sdk.ack(id, received.getAckTopic(), received.getSubName()));
        }

        assertThat(emulator.broker().subscriptionStats(topic, "batch").acked()).isEqualTo(3);
        assertThat(emulator.broker().subscriptionStats(topic, "batch").inFlight()).isZero();
    }

    @Test
    void payloadsContainingTheSeparatorAreNotEscaped() throws Exception {
        // The service's flaw, kept on purpose: a client must see that ids and payloads no longer pair up.
        String topic = Topics.unique("ambiguous");
        publish(topic, "left###right", "plain");

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 2L, null, 5000L));

        assertThat(ids(received)).hasSize(2);
        assertThat(payloads(received)).containsExactly("left", "right", "plain");
    }

    @Test
    void batchSpansThePartitionsOfATopic() throws Exception {
        String topic = Topics.unique("partitioned");
        emulator.broker().createTopic(topic, 3);
        publish(topic, "a", "b", "c");

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 3L, null, 5000L));

        assertThat(payloads(received)).containsExactly("a", "b", "c");
        assertThat(ids(received)).extracting(id -> id.split(":")[2]).containsExactly("0", "1", "2");
    }

    @Test
    void anAnswerOverMaxResponseBytesIsResponseSizeLimitExceededAndItsMessagesComeBackAfterTheAckTimeout()
            throws Exception {
        String topic = Topics.unique("too-large");
        publish(topic, "x".repeat(800), "y".repeat(800), "z".repeat(800));
        emulator.settings().maxResponseBytes(2000);
        try {
            // About 2 × 2,400 bytes of payloads (both lists carry them): over the limit.
            TencentCloudSDKException refused = Sdk.failure(() -> client.ReceiveMessage(batch(topic, 3L, null, 5000L)));

            assertThat(refused.getErrorCode()).isEqualTo("ResponseSizeLimitExceeded");
            assertThat(refused.getMessage()).contains("2000");
            assertThat(refused.getRequestId()).isNotBlank();
            // The receive took effect: the three are in flight, to be redelivered after the ack timeout.
            assertThat(emulator.broker().subscriptionStats(topic, "batch").inFlight()).isEqualTo(3);
        } finally {
            emulator.settings().maxResponseBytes(0);
        }
    }

    @Test
    void answersOfAnySizeGoOutByDefaultAsTheServicesLimitIsNotPublished() throws Exception {
        assertThat(TdmqEmulator.builder().build().settings().maxResponseBytes()).isZero();
        String topic = Topics.unique("large");
        publish(topic, "x".repeat(700_000), "y".repeat(700_000));

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 2L, null, 5000L));

        assertThat(payloads(received)).hasSize(2);
    }

    @Test
    void batchAnswersFourPartIdsAsTheReferenceExampleShows() throws Exception {
        // The reference's batch example: "MessageIDList": "71:12:0:0###71:13:0:0###71:16:0:0".
        String topic = Topics.unique("four-part");
        publish(topic, "a", "b");

        ReceiveMessageResponse received = client.ReceiveMessage(batch(topic, 2L, null, 5000L));

        assertThat(ids(received)).hasSize(2).allMatch(id -> id.matches("\\d+:\\d+:\\d+:0"));
        assertThat(received.getMessageID()).isEqualTo(ids(received)[0]);
        for (String id : ids(received)) {
            client.AcknowledgeMessage(Sdk.ack(id, received.getAckTopic(), received.getSubName()));
        }
        assertThat(emulator.broker().subscriptionStats(topic, "batch").acked()).isEqualTo(2);
    }
}
