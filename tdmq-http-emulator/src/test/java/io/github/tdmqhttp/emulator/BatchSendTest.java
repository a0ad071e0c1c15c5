package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesRequest;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SendBatchMessages as the service runs it (API reference 1110/44130, 1179/53441): each call is one message, and the
 * TDMQ-HTTP service aggregates calls into one Pulsar batch entry, so messages of different calls share
 * ledger:entry:partition and differ in batch index (ID rules, product doc 1110/42921). A message of a batch keeps its
 * batch index in every id form, and is acknowledged on its own.
 */
class BatchSendTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(400);

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .ackTimeout(ACK_TIMEOUT)
            .receiveWait(Duration.ofMillis(300)));

    private static final ExecutorService SENDERS = Executors.newFixedThreadPool(4);

    private final TdmqClient client = Sdk.client(emulator.get());

    @AfterAll
    static void stopSenders() {
        SENDERS.shutdownNow();
    }

    private static SendBatchMessagesRequest batched(String topic, String payload, long maxMessages,
                                                    long maxPublishDelayMillis) {
        SendBatchMessagesRequest request = Sdk.sendBatch(topic, payload);
        request.setBatchingMaxMessages(maxMessages);
        request.setBatchingMaxPublishDelay(maxPublishDelayMillis);
        return request;
    }

    /** Sends {@code payloads} with SendBatchMessages from one thread each, all released at once; returns the ids. */
    private static List<String> sendTogether(TdmqEmulator target, String topic, long maxMessages,
                                             long maxPublishDelayMillis, String... payloads) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<String>> calls = new ArrayList<>();
        for (String payload : payloads) {
            TdmqClient sender = Sdk.client(target);
            calls.add(() -> {
                start.await();
                return sender.SendBatchMessages(batched(topic, payload, maxMessages, maxPublishDelayMillis))
                        .getMessageId();
            });
        }
        List<Future<String>> answers = new ArrayList<>();
        for (Callable<String> call : calls) {
            answers.add(SENDERS.submit(call));
        }
        start.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<String> answer : answers) {
            ids.add(answer.get(15, TimeUnit.SECONDS));
        }
        return ids;
    }

    private static String entryOf(String id) {
        return id.substring(0, id.lastIndexOf(':'));
    }

    private static String batchIndexOf(String id) {
        return id.substring(id.lastIndexOf(':') + 1);
    }

    /** Three messages that share one entry, with batch indexes 0, 1, 2 in send order of their ids. */
    private List<String> threeInOneEntry(String topic) throws Exception {
        List<String> ids = sendTogether(emulator.get(), topic, 3, 5000, "a", "b", "c");
        ids.sort((left, right) -> batchIndexOf(left).compareTo(batchIndexOf(right)));
        return ids;
    }

    @Test
    void callsMadeTogetherShareOneEntryAndDifferInBatchIndex() throws Exception {
        String topic = Topics.unique("together");
        long start = System.nanoTime();

        List<String> ids = sendTogether(emulator.get(), topic, 3, 5000, "a", "b", "c");

        assertThat(ids).extracting(BatchSendTest::entryOf).containsOnly(entryOf(ids.get(0)));
        assertThat(ids).extracting(BatchSendTest::batchIndexOf).containsExactlyInAnyOrder("0", "1", "2");
        // The third call filled the batch (BatchingMaxMessages 3): nobody waited the 5 s publish delay.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(emulator.broker().topicStats(topic).sent()).isEqualTo(3);
    }

    @Test
    void aCallThatDoesNotFitStartsTheNextEntry() throws Exception {
        String topic = Topics.unique("overflow");

        List<String> ids = sendTogether(emulator.get(), topic, 2, 1000, "a", "b", "c");

        Map<String, List<String>> byEntry = new HashMap<>();
        ids.forEach(id -> byEntry.computeIfAbsent(entryOf(id), any -> new ArrayList<>()).add(batchIndexOf(id)));
        assertThat(byEntry.values()).extracting(List::size).containsExactlyInAnyOrder(2, 1);
        assertThat(byEntry.values()).allSatisfy(indexes -> assertThat(indexes).contains("0"));
    }

    @Test
    void aBatchIsPublishedItsPublishDelayAfterItsFirstMessage() throws Exception {
        String topic = Topics.unique("delay");
        long start = System.nanoTime();

        String id = client.SendBatchMessages(batched(topic, "alone", 1000, 300)).getMessageId();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(id).matches("\\d+:0:0:0");
        String next = client.SendBatchMessages(batched(topic, "later", 1000, 0)).getMessageId();
        assertThat(next).matches("\\d+:1:0:0");
    }

    @Test
    void batchingMaxBytesPublishesAFullBatchAtOnce() throws Exception {
        String topic = Topics.unique("bytes");
        SendBatchMessagesRequest request = batched(topic, "0123456789", 1000, 5000);
        request.setBatchingMaxBytes(10L);
        long start = System.nanoTime();

        client.SendBatchMessages(request);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void sendMessagesStoresOneMessagePerEntry() throws Exception {
        String topic = Topics.unique("single");

        String first = client.SendMessages(Sdk.send(topic, "a")).getMessageId();
        String second = client.SendMessages(Sdk.send(topic, "b")).getMessageId();

        assertThat(first).matches("\\d+:0:0:0");
        assertThat(second).matches("\\d+:1:0:0");
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessageID())
                .isEqualTo(entryOf(first));
    }

    @Test
    void aSingleReceiveKeepsTheBatchIndexOfEveryMessageOfABatch() throws Exception {
        String topic = Topics.unique("single-receive");
        List<String> sent = threeInOneEntry(topic);

        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            received.add(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessageID());
        }

        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(received.get(1)).endsWith(":1");
    }

    @Test
    void aBatchReceiveAnswersTheIdsTheSendsAnswered() throws Exception {
        String topic = Topics.unique("batch-receive");
        List<String> sent = threeInOneEntry(topic);
        ReceiveMessageRequest request = Sdk.receiveEarliest(topic, "s");
        request.setMaxNumMessages(3L);
        request.setTimeout(3000L);

        ReceiveMessageResponse received = client.ReceiveMessage(request);

        assertThat(received.getMessageIDList().split("###")).containsExactlyElementsOf(sent);
    }

    @Test
    void acknowledgingOneBatchIndexLeavesItsSiblingsToBeRedelivered() throws Exception {
        String topic = Topics.unique("one-of-three");
        List<String> sent = threeInOneEntry(topic);
        for (int i = 0; i < 3; i++) {
            client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        }

        client.AcknowledgeMessage(Sdk.ack(sent.get(1), topic, "s"));

        SubscriptionStats stats = emulator.broker().subscriptionStats(topic, "s");
        assertThat(stats.acked()).isEqualTo(1);
        assertThat(stats.inFlight()).isEqualTo(2);
        ReceiveMessageRequest again = Sdk.receiveEarliest(topic, "s");
        again.setMaxNumMessages(3L);
        again.setTimeout(3000L);
        assertThat(client.ReceiveMessage(again).getMessageIDList().split("###"))
                .containsExactly(sent.get(0), sent.get(2));
    }

    @Test
    void theThreePartFormOfABatchsFirstMessageAcknowledgesThatMessageOnly() throws Exception {
        String topic = Topics.unique("three-part");
        List<String> sent = threeInOneEntry(topic);
        for (int i = 0; i < 3; i++) {
            client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        }

        client.AcknowledgeMessage(Sdk.ack(entryOf(sent.get(0)), topic, "s"));
        client.AcknowledgeMessage(Sdk.ack(entryOf(sent.get(0)) + ":7", topic, "s"));

        assertThat(emulator.broker().subscriptionStats(topic, "s").acked()).isEqualTo(1);
        assertThat(emulator.broker().subscriptionStats(topic, "s").inFlight()).isEqualTo(2);
    }

    @Test
    void aMessageAloneInItsEntryIsAcknowledgedInEveryForm() throws Exception {
        String topic = Topics.unique("alone-forms");
        String sent = emulator.publish(topic, "a");
        emulator.publish(topic, "b");
        emulator.publish(topic, "c");
        for (int i = 0; i < 3; i++) {
            client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        }
        String entry = entryOf(sent);

        for (String form : new String[] {entry, entry + ":0", entry + ":-1"}) {
            assertThat(client.AcknowledgeMessage(Sdk.ack(form, topic, "s")).getErrorMsg()).isEqualTo("success");
        }

        SubscriptionStats stats = emulator.broker().subscriptionStats(topic, "s");
        assertThat(stats.acked()).isEqualTo(1);
        assertThat(stats.duplicateAcks()).isEqualTo(2);
    }

    @Test
    void serviceSideBatchingOffStoresEachCallAloneAndAnswersAtOnce() throws Exception {
        try (TdmqEmulator unbatched = TdmqEmulator.builder().autoCreateTopics(true).serviceSideBatching(false)
                .receiveWait(Duration.ofMillis(300)).build().start()) {
            String topic = Topics.unique("unbatched");
            long start = System.nanoTime();

            List<String> ids = sendTogether(unbatched, topic, 3, 5000, "a", "b", "c");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(ids).extracting(BatchSendTest::entryOf).doesNotHaveDuplicates();
            assertThat(ids).allMatch(id -> id.endsWith(":0"));
            assertThat(Sdk.client(unbatched).ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessageID())
                    .matches("\\d+:\\d+:0");
            assertThat(unbatched.settings().serviceSideBatching()).isFalse();
            assertThat(TdmqEmulator.builder().build().settings().serviceSideBatching()).isTrue();
        }
    }

    @Test
    void aBatchSpansOnePartitionAndTheNextBatchTakesTheNext() throws Exception {
        String topic = Topics.unique("partitioned");
        emulator.broker().createTopic(topic, 2, TopicOptions.DEFAULTS);

        List<String> first = sendTogether(emulator.get(), topic, 2, 5000, "a", "b");
        List<String> second = sendTogether(emulator.get(), topic, 2, 5000, "c", "d");

        assertThat(first).extracting(id -> id.split(":")[2]).containsOnly("0");
        assertThat(second).extracting(id -> id.split(":")[2]).containsOnly("1");
    }

    @Test
    void refusesANegativeBatchingLimit() {
        SendBatchMessagesRequest request = batched(Topics.unique("negative"), "x", -1, 10);

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendBatchMessages(request));

        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameterValue");
        assertThat(failure.getMessage()).contains("BatchingMaxMessages");
    }
}
