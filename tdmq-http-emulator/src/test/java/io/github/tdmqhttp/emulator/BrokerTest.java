package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tdmqhttp.emulator.model.AckOutcome;
import io.github.tdmqhttp.emulator.model.BatchingLimits;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.model.BrokerException;
import io.github.tdmqhttp.emulator.model.InitialPosition;
import io.github.tdmqhttp.emulator.model.MessageId;
import io.github.tdmqhttp.emulator.model.ReceiveLimits;
import io.github.tdmqhttp.emulator.model.ReceivedMessage;
import io.github.tdmqhttp.emulator.model.TopicStats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The broker model on its own, without HTTP. */
class BrokerTest {

    // Topics appear on first use, so that each test names only the topics it needs.
    private final Broker broker = new Broker(true, 1, Duration.ofSeconds(30));

    private List<ReceivedMessage> receive(String topic, String subscription, ReceiveLimits limits) throws Exception {
        return broker.receive(topic, subscription, InitialPosition.EARLIEST, limits);
    }

    @Test
    void receivesInPublishOrderAcrossPartitions() throws Exception {
        broker.createTopic("t/n/ordered", 3);
        for (int i = 0; i < 6; i++) {
            broker.publish("t/n/ordered", "m" + i);
        }

        List<ReceivedMessage> received = receive("t/n/ordered", "s", new ReceiveLimits(6, 0, Duration.ZERO));

        assertThat(received).extracting(ReceivedMessage::payload).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void shorteningTheAckTimeoutAppliesToMessagesAlreadyInFlight() throws Exception {
        broker.publish("t/n/shortened", "x");
        receive("t/n/shortened", "s", ReceiveLimits.single(Duration.ZERO));

        broker.ackTimeout(Duration.ofMillis(50));

        List<ReceivedMessage> again = receive("t/n/shortened", "s", ReceiveLimits.single(Duration.ofSeconds(5)));
        assertThat(again).singleElement().satisfies(message -> assertThat(message.redelivered()).isTrue());
    }

    @Test
    void resetDropsTopicsAndWakesWaitingReceivers() throws Exception {
        broker.createTopic("t/n/dropped", 1);
        CompletableFuture<List<ReceivedMessage>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return receive("t/n/dropped", "s", ReceiveLimits.single(Duration.ofSeconds(20)));
            } catch (Exception unexpected) {
                throw new IllegalStateException(unexpected);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.topicStats("t/n/dropped").subscriptions().size() == 1);

        broker.reset();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(broker.stats()).isEmpty();
    }

    @Test
    void messageIdsOfADroppedTopicNeverAckANewOne() throws Exception {
        MessageId oldId = broker.publish("t/n/reborn", "old");
        broker.reset();
        broker.publish("t/n/reborn", "new");
        receive("t/n/reborn", "s", ReceiveLimits.single(Duration.ZERO));

        assertThat(broker.acknowledge("t/n/reborn", "s", oldId)).isEqualTo(AckOutcome.NOT_RECEIVED);
        assertThat(broker.subscriptionStats("t/n/reborn", "s").inFlight()).isEqualTo(1);
    }

    @Test
    void aBatchedSendInterruptedWhileItWaitsPublishesItsBatchAndKeepsTheInterrupt() throws Exception {
        Thread.currentThread().interrupt();
        try {
            MessageId id = broker.sendBatched("t/n/interrupted", "x",
                    new BatchingLimits(1000, 0, Duration.ofSeconds(5)));

            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(id.batchIndex()).isZero();
        } finally {
            Thread.interrupted();
        }
        assertThat(broker.topicStats("t/n/interrupted").sent()).isEqualTo(1);
    }

    @Test
    void anIdOfTheRightEntryWithABatchIndexItDoesNotHaveNamesNoMessage() throws Exception {
        MessageId alone = broker.publish("t/n/no-such-index", "x");
        receive("t/n/no-such-index", "s", ReceiveLimits.single(Duration.ZERO));

        MessageId wrongIndex = new MessageId(alone.ledger(), alone.entry(), alone.partition(), 1);

        assertThat(broker.acknowledge("t/n/no-such-index", "s", wrongIndex)).isEqualTo(AckOutcome.NOT_RECEIVED);
        assertThat(broker.acknowledge("t/n/no-such-index", "s", alone)).isEqualTo(AckOutcome.ACKED);
    }

    @Test
    void refusesToCreateATopicAgainWithOtherPartitions() {
        broker.createTopic("t/n/fixed", 2);
        broker.createTopic("t/n/fixed", 2);

        assertThatThrownBy(() -> broker.createTopic("t/n/fixed", 4)).isInstanceOf(BrokerException.class)
                .hasMessageContaining("2 partitions");
    }

    @Test
    void statsOfAnUnknownTopicSayWhichTopic() {
        assertThatThrownBy(() -> broker.topicStats("t/n/missing")).isInstanceOf(BrokerException.class)
                .hasMessageContaining("t/n/missing");
    }

    @Test
    void keepsATopicUnderItsCanonicalNameWhateverFormItIsNamedIn() throws Exception {
        Broker strict = new Broker(false, 1, Duration.ofSeconds(30), 71);
        strict.createTopic("persistent://t/n/orders", 1);
        strict.createTopic("short", 1);

        strict.publish("t/n/orders", "full");
        strict.publish("public/default/short", "short");

        assertThat(strict.stats()).extracting(TopicStats::topic).containsExactly("public/default/short", "t/n/orders");
        assertThat(strict.receive("persistent://t/n/orders", "s", InitialPosition.EARLIEST,
                ReceiveLimits.single(Duration.ZERO))).extracting(ReceivedMessage::payload).containsExactly("full");
        assertThat(strict.topicStats("persistent://public/default/short").sent()).isEqualTo(1);
    }

    @Test
    void refusesAnUndeclaredTopicOrTenantUnlessTopicsAreAutoCreated() {
        Broker strict = new Broker(false, 1, Duration.ofSeconds(30));
        strict.createTopic("t/n/declared", 1);

        assertThatThrownBy(() -> strict.publish("t/n/undeclared", "x")).isInstanceOf(BrokerException.class)
                .satisfies(refused -> assertThat(((BrokerException) refused).reason())
                        .isEqualTo(BrokerException.Reason.TOPIC_NOT_FOUND));
        assertThatThrownBy(() -> strict.publish("other/n/declared", "x")).isInstanceOf(BrokerException.class)
                .satisfies(refused -> assertThat(((BrokerException) refused).reason())
                        .isEqualTo(BrokerException.Reason.TENANT_NOT_FOUND));
        assertThat(broker.publish("other/n/anything", "x")).isNotNull();
    }
}
