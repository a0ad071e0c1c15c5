package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Subscriptions: start positions, shared delivery, ack timeouts and redelivery, acknowledgements, counters. */
class SubscriptionTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(400);
    private static final Duration RECEIVE_WAIT = Duration.ofMillis(300);

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .ackTimeout(ACK_TIMEOUT)
            .receiveWait(RECEIVE_WAIT));

    private static final ExecutorService RECEIVERS = Executors.newFixedThreadPool(2);

    private final TdmqClient client = Sdk.client(emulator.get());

    @AfterAll
    static void stopReceivers() {
        RECEIVERS.shutdownNow();
    }

    @Test
    void latestSubscriptionSeesOnlyMessagesSentAfterItWasFirstSeen() throws Exception {
        String topic = Topics.unique("latest");
        emulator.broker().publish(topic, "before");

        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receive(topic, "s", "Latest"))))
                .isEqualTo("FailedOperation.ReceiveTimeout");
        emulator.broker().publish(topic, "after");

        assertThat(client.ReceiveMessage(Sdk.receive(topic, "s", "Latest")).getMessagePayload()).isEqualTo("after");
    }

    @Test
    void aSubscriptionWithoutSubInitialPositionStartsAtTheEarliestAsTheReferenceSays() throws Exception {
        String topic = Topics.unique("no-position");
        emulator.broker().publish(topic, "sent before the subscription");

        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receive(topic, "s", null));

        assertThat(received.getMessagePayload()).isEqualTo("sent before the subscription");
    }

    @Test
    void earliestSubscriptionSeesMessagesSentBeforeIt() throws Exception {
        String topic = Topics.unique("earliest");
        emulator.broker().publish(topic, "first");
        emulator.broker().publish(topic, "second");

        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("first");
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("second");
    }

    @Test
    void startPositionIsFixedWhenTheSubscriptionIsFirstSeen() throws Exception {
        String topic = Topics.unique("fixed-position");
        emulator.broker().publish(topic, "before");
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receive(topic, "s", "Latest"))))
                .isEqualTo("FailedOperation.ReceiveTimeout");

        // Asking for Earliest later does not move the existing subscription back.
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))))
                .isEqualTo("FailedOperation.ReceiveTimeout");
        // A new subscription on the same topic does start at the beginning.
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "other")).getMessagePayload()).isEqualTo("before");
    }

    @Test
    void emptyTopicAnswersReceiveTimeoutAfterTheReceiveWait() {
        String topic = Topics.unique("empty");
        long start = System.nanoTime();

        TencentCloudSDKException failure = Sdk.failure(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure.getErrorCode()).isEqualTo("FailedOperation.ReceiveTimeout");
        assertThat(took).isGreaterThanOrEqualTo(RECEIVE_WAIT).isLessThan(RECEIVE_WAIT.plusSeconds(3));
    }

    @Test
    void aWaitingReceiverGetsAMessageSentWhileItWaits() throws Exception {
        String topic = Topics.unique("wakeup");
        emulator.settings().receiveWait(Duration.ofSeconds(8));
        try {
            emulator.broker().createTopic(topic, 1);
            Future<ReceiveMessageResponse> waiting = RECEIVERS.submit(() -> client.ReceiveMessage(Sdk.receive(topic, "s",
                    "Earliest")));
            emulator.broker().publish(topic, "wake up");

            assertThat(waiting.get(5, TimeUnit.SECONDS).getMessagePayload()).isEqualTo("wake up");
        } finally {
            emulator.settings().receiveWait(RECEIVE_WAIT);
        }
    }

    @Test
    void twoReceiversShareTwoHundredMessagesWithoutDuplicates() throws Exception {
        String topic = Topics.unique("shared");
        for (int i = 0; i < 200; i++) {
            emulator.broker().publish(topic, "m" + i);
        }
        List<CompletableFuture<List<String>>> receivers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            receivers.add(CompletableFuture.supplyAsync(() -> receiveAndAckAll(topic, "workers"), RECEIVERS));
        }

        List<String> first = receivers.get(0).get(60, TimeUnit.SECONDS);
        List<String> second = receivers.get(1).get(60, TimeUnit.SECONDS);

        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        assertThat(first.size() + second.size()).isEqualTo(200);
        assertThat(all).hasSize(200);
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
        SubscriptionStats stats = emulator.broker().subscriptionStats(topic, "workers");
        assertThat(stats.delivered()).isEqualTo(200);
        assertThat(stats.redelivered()).isZero();
        assertThat(stats.backlog()).isZero();
    }

    /** Receives and acks until the topic stays empty for one receive wait; at most 400 receives. */
    private List<String> receiveAndAckAll(String topic, String subscription) {
        TdmqClient receiver = Sdk.client(emulator.get());
        List<String> payloads = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < 400; attempt++) {
                ReceiveMessageResponse received = receiver.ReceiveMessage(Sdk.receiveEarliest(topic, subscription));
                payloads.add(received.getMessagePayload());
                receiver.AcknowledgeMessage(Sdk.ack(received));
            }
        } catch (TencentCloudSDKException idle) {
            assertThat(idle.getErrorCode()).isEqualTo("FailedOperation.ReceiveTimeout");
        }
        return payloads;
    }

    @Test
    void redeliversAMessageNotAcknowledgedWithinTheAckTimeout() throws Exception {
        String topic = Topics.unique("redelivery");
        emulator.settings().receiveWait(Duration.ofSeconds(3));
        try {
            emulator.broker().publish(topic, "unlucky");
            ReceiveMessageResponse first = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
            long start = System.nanoTime();

            // Nothing else is there: this receive waits until the first delivery's ack timeout expires.
            ReceiveMessageResponse again = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

            // The ack timeout started on the server a moment before this client saw the first answer.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ACK_TIMEOUT.dividedBy(2));
            assertThat(again.getMessageID()).isEqualTo(first.getMessageID());
            assertThat(again.getMessagePayload()).isEqualTo("unlucky");
            SubscriptionStats stats = emulator.broker().subscriptionStats(topic, "s");
            assertThat(stats.delivered()).isEqualTo(1);
            assertThat(stats.redelivered()).isEqualTo(1);
            assertThat(stats.inFlight()).isEqualTo(1);
        } finally {
            emulator.settings().receiveWait(RECEIVE_WAIT);
        }
    }

    @Test
    void redeliversExpiredMessagesAheadOfNewOnes() throws Exception {
        String topic = Topics.unique("redelivery-first");
        emulator.broker().publish(topic, "old");
        client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        emulator.broker().publish(topic, "new");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> emulator.broker().subscriptionStats(topic, "s").inFlight() == 0);

        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("old");
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("new");
    }

    @Test
    void doesNotRedeliverAnAcknowledgedMessage() throws Exception {
        String topic = Topics.unique("acked");
        emulator.settings().receiveWait(ACK_TIMEOUT.multipliedBy(2));
        try {
            emulator.broker().publish(topic, "done");
            client.AcknowledgeMessage(Sdk.ack(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))));

            // Waits twice the ack timeout: a redelivery would have come.
            assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))))
                    .isEqualTo("FailedOperation.ReceiveTimeout");
            SubscriptionStats stats = emulator.broker().subscriptionStats(topic, "s");
            assertThat(stats.acked()).isEqualTo(1);
            assertThat(stats.redelivered()).isZero();
            assertThat(stats.backlog()).isZero();
        } finally {
            emulator.settings().receiveWait(RECEIVE_WAIT);
        }
    }

    @Test
    void acceptsAnAckAfterTheAckTimeoutExpired() throws Exception {
        String topic = Topics.unique("late-ack");
        emulator.broker().publish(topic, "slow");
        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> emulator.broker().subscriptionStats(topic, "s").inFlight() == 0);

        client.AcknowledgeMessage(Sdk.ack(received));

        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))))
                .isEqualTo("FailedOperation.ReceiveTimeout");
        assertThat(emulator.broker().subscriptionStats(topic, "s").acked()).isEqualTo(1);
    }

    @Test
    void countsADuplicateAckAndAnswersSuccess() throws Exception {
        String topic = Topics.unique("duplicate-ack");
        emulator.broker().publish(topic, "once");
        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

        client.AcknowledgeMessage(Sdk.ack(received));
        String second = client.AcknowledgeMessage(Sdk.ack(received)).getErrorMsg();

        assertThat(second).isEqualTo("success");
        SubscriptionStats stats = emulator.broker().subscriptionStats(topic, "s");
        assertThat(stats.acked()).isEqualTo(1);
        assertThat(stats.duplicateAcks()).isEqualTo(1);
    }

    @Test
    void acceptsTheFourPartIdThatSendAnswered() throws Exception {
        String topic = Topics.unique("four-part");
        String sentId = client.SendMessages(Sdk.send(topic, "x")).getMessageId();
        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

        client.AcknowledgeMessage(Sdk.ack(sentId, received.getAckTopic(), received.getSubName()));

        assertThat(sentId).startsWith(received.getMessageID() + ":");
        assertThat(emulator.broker().subscriptionStats(topic, "s").acked()).isEqualTo(1);
    }

    @Test
    void refusesAMalformedMessageId() throws Exception {
        String topic = Topics.unique("malformed");
        emulator.broker().publish(topic, "x");
        client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

        for (String malformed : new String[] {"", "71", "71:0", "a:b:c", "71:0:0:0:0", "71:-1:0"}) {
            assertThat(Sdk.errorCode(() -> client.AcknowledgeMessage(Sdk.ack(malformed, topic, "s"))))
                    .as(malformed).isEqualTo("FailedOperation.MessageIDError");
        }
    }

    @Test
    void acceptsAnAckOfAMessageTheSubscriptionNeverReceivedAndChangesNothing() throws Exception {
        String topic = Topics.unique("never-received");
        emulator.broker().publish(topic, "first");
        String notYetDelivered = emulator.publish(topic, "second");
        client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        SubscriptionStats before = emulator.broker().subscriptionStats(topic, "s");

        assertThat(client.AcknowledgeMessage(Sdk.ack(notYetDelivered, topic, "s")).getErrorMsg()).isEqualTo("success");
        assertThat(client.AcknowledgeMessage(Sdk.ack("999999:5:0", topic, "s")).getErrorMsg()).isEqualTo("success");

        assertThat(emulator.broker().subscriptionStats(topic, "s")).isEqualTo(before);
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("second");
    }

    @Test
    void refusesAnAckForAnUnknownSubscriptionNamingIt() throws Exception {
        String topic = Topics.unique("unknown-sub");
        String id = emulator.publish(topic, "x");

        TencentCloudSDKException failure = Sdk.failure(() -> client.AcknowledgeMessage(Sdk.ack(id, topic, "nobody")));

        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameterValue");
        assertThat(failure.getMessage()).contains("nobody");
    }

    @Test
    void refusesAnAckOnAnUnknownTopic() {
        assertThat(Sdk.errorCode(() -> client.AcknowledgeMessage(Sdk.ack("71:0:0", Topics.unique("nowhere"), "s"))))
                .isEqualTo("InvalidParameterValue.TopicNotFound");
    }

    @Test
    void answersTheTopicAndSubscriptionTheAckNeeds() throws Exception {
        String topic = Topics.unique("ack-fields");
        emulator.broker().publish(topic, "x");

        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "orders-sub"));

        assertThat(received.getAckTopic()).isEqualTo(topic);
        assertThat(received.getSubName()).isEqualTo("orders-sub");
        assertThat(received.getErrorMsg()).isEqualTo("success");
        assertThat(received.getMessageID()).matches("\\d+:0:0");
    }

    @Test
    void countsSentDeliveredAckedBacklogAndInFlight() throws Exception {
        String topic = Topics.unique("counters");
        for (int i = 0; i < 5; i++) {
            client.SendMessages(Sdk.send(topic, "m" + i));
        }
        ReceiveMessageResponse first = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        client.AcknowledgeMessage(Sdk.ack(first));

        assertThat(emulator.broker().topicStats(topic).sent()).isEqualTo(5);
        assertThat(emulator.broker().subscriptionStats(topic, "s"))
                .isEqualTo(new SubscriptionStats(topic, "s", 2, 0, 1, 0, 4, 1, 1, false));
        assertThat(emulator.broker().topicStats(topic).subscriptions()).extracting(SubscriptionStats::subscription)
                .containsExactly("s");
    }

    @Test
    void backlogOfALatestSubscriptionCountsOnlyMessagesAfterItsStart() throws Exception {
        String topic = Topics.unique("latest-backlog");
        emulator.broker().publish(topic, "before");
        Sdk.failure(() -> client.ReceiveMessage(Sdk.receive(topic, "s", "Latest")));
        emulator.broker().publish(topic, "after");

        assertThat(emulator.broker().subscriptionStats(topic, "s").backlog()).isEqualTo(1);
    }

    @Test
    void countsRequestsPerAction() throws Exception {
        String topic = Topics.unique("requests");
        long sendsBefore = emulator.get().requestStats().get("SendMessages").requests();
        long acksBefore = emulator.get().requestStats().get("AcknowledgeMessage").requests();

        client.SendMessages(Sdk.send(topic, "x"));
        client.SendMessages(Sdk.send(topic, "y"));
        client.AcknowledgeMessage(Sdk.ack(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))));

        assertThat(emulator.get().requestStats().get("SendMessages").requests()).isEqualTo(sendsBefore + 2);
        assertThat(emulator.get().requestStats().get("AcknowledgeMessage").requests()).isEqualTo(acksBefore + 1);
        assertThat(emulator.get().requestStats()).containsOnlyKeys("SendMessages", "SendBatchMessages",
                "ReceiveMessage", "AcknowledgeMessage");
    }

    @Test
    void answersWithoutNagleDelays() throws Exception {
        // Without TCP_NODELAY on the server each call stalls about 40 ms (25 calls/s at best).
        String topic = Topics.unique("nodelay");
        long start = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            client.SendMessages(Sdk.send(topic, "m" + i));
        }
        double callsPerSecond = 200 / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);

        assertThat(callsPerSecond).isGreaterThan(60);
    }
}
