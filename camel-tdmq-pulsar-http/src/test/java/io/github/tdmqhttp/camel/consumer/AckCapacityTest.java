package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.client.RequestRateLimiter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The room a consumer has for unacknowledged messages, from its share of the ack quota and its deadline. */
class AckCapacityTest {

    private static final long ACK_TIMEOUT = TimeUnit.SECONDS.toNanos(5);

    @Test
    void aConsumerAloneOnAQuotaMayHoldWhatTheQuotaSettlesInHalfTheAckTimeout() {
        AckCapacity capacity = new AckCapacity(new RequestRateLimiter(100), 1000, ACK_TIMEOUT, 128, () -> 0);
        assertThat(capacity.limit()).as("100/s for 1.25 s").isEqualTo(125);
        capacity.close();
    }

    @Test
    void consumersSpendingOneQuotaShareItFairlyAndGetTheirShareBackWhenOthersLeave() {
        RequestRateLimiter limiter = new RequestRateLimiter(1000);
        AckCapacity[] consumers = new AckCapacity[10];
        for (int i = 0; i < consumers.length; i++) {
            consumers[i] = new AckCapacity(limiter, 5000, ACK_TIMEOUT, 128, () -> 0);
        }
        assertThat(consumers[0].limit()).as("100/s each for 1.25 s").isEqualTo(125);
        AckCapacity elsewhere = new AckCapacity(new RequestRateLimiter(1000), 5000, ACK_TIMEOUT, 128, () -> 0);
        assertThat(elsewhere.limit()).as("another quota is not shared").isEqualTo(1250);
        for (int i = 1; i < consumers.length; i++) {
            consumers[i].close();
        }
        assertThat(consumers[0].limit()).isEqualTo(1250);
        consumers[0].close();
        elsewhere.close();
    }

    @Test
    void maxUnacknowledgedMessagesBoundsTheRoomWhateverTheRate() {
        AckCapacity capacity = new AckCapacity(null, 1000, TimeUnit.SECONDS.toNanos(30), 128, () -> 0);
        assertThat(capacity.limit()).isEqualTo(1000);
        capacity.close();
    }

    @Test
    void theCallsInFlightPerRoundTripBoundTheRateToo() {
        // 4 calls at once, 100 ms each: 40 acknowledgements a second, for 1.25 s.
        AckCapacity capacity = new AckCapacity(new RequestRateLimiter(1000), 1000, ACK_TIMEOUT, 4,
                () -> TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(capacity.limit()).isEqualTo(50);
        capacity.close();
    }

    @Test
    void aConsumerAlwaysHasRoomForOneMessage() {
        AckCapacity capacity = new AckCapacity(new RequestRateLimiter(1), 1000, TimeUnit.SECONDS.toNanos(1), 1,
                () -> 0);
        assertThat(capacity.limit()).isEqualTo(1);
        assertThat(capacity.tryTake(32)).isEqualTo(1);
        capacity.close();
    }

    @Test
    void aReceiveTakesNoMoreThanTheRoomLeftAndReleasesGiveItBack() {
        AckCapacity capacity = new AckCapacity(null, 40, ACK_TIMEOUT, 128, () -> 0);
        assertThat(capacity.tryTake(32)).isEqualTo(32);
        assertThat(capacity.tryTake(32)).isEqualTo(8);
        assertThat(capacity.tryTake(1)).isZero();
        capacity.release(5);
        assertThat(capacity.held()).isEqualTo(35);
        assertThat(capacity.tryTake(32)).isEqualTo(5);
        capacity.close();
    }

    @Test
    void aPollerWithoutRoomWaitsForARelease() throws Exception {
        AckCapacity capacity = new AckCapacity(null, 2, ACK_TIMEOUT, 128, () -> 0);
        assertThat(capacity.tryTake(2)).isEqualTo(2);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return capacity.take(32, () -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !waiting.isDone());
        capacity.release(1);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        capacity.close();
    }

    @Test
    void aPollerStopsWaitingWhenTheConsumerStops() throws Exception {
        AckCapacity capacity = new AckCapacity(null, 1, ACK_TIMEOUT, 128, () -> 0);
        capacity.tryTake(1);
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return capacity.take(1, running::get);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        running.set(false);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isZero();
        capacity.close();
    }

    @Test
    void anAcknowledgementWaitsBehindEveryUnansweredAcknowledgementOfItsQuota() {
        RequestRateLimiter limiter = new RequestRateLimiter(100);
        AtomicLong trip = new AtomicLong();
        AckCapacity one = new AckCapacity(limiter, 1000, ACK_TIMEOUT, 2, trip::get);
        AckCapacity other = new AckCapacity(limiter, 1000, ACK_TIMEOUT, 2, trip::get);
        assertThat(one.expectedAckWaitNanos()).isZero();
        for (int i = 0; i < 30; i++) {
            one.acknowledgementOffered();
            other.acknowledgementOffered();
        }
        assertThat(one.expectedAckWaitNanos()).as("60 at 100/s").isEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
        trip.set(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(one.expectedAckWaitNanos()).as("its own 30, 2 calls at a time of 100 ms: 15 round trips")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
        one.acknowledgementOffered();
        assertThat(one.expectedAckWaitNanos()).as("the 31st waits as long as the 30th and 29th")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
        for (int i = 0; i < 30; i++) {
            other.acknowledgementStarted();
            other.acknowledgementDone();
        }
        assertThat(other.expectedAckWaitNanos()).as("answered acknowledgements no longer wait")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(310));
        one.close();
        assertThat(other.expectedAckWaitNanos()).as("those of a consumer that stopped count no more").isZero();
        other.close();
    }

    @Test
    void theDrainRateIsWhatIsAnsweredWhileAcknowledgementsWait() {
        AtomicLong now = new AtomicLong();
        AckCapacity.DrainRate drain = new AckCapacity.DrainRate(now::get);
        assertThat(drain.perSecond()).as("nothing measured").isInfinite();
        // Acknowledgements wait all along, one answered every 5 ms: 200 a second. The first window shows the
        // acknowledgements waiting at its end; the second, which starts with them, measures.
        for (int i = 0; i < 110; i++) {
            answer(drain, now, 5, 5);
        }
        assertThat(drain.perSecond()).isCloseTo(200, org.assertj.core.data.Offset.offset(10.0));
        // Windows in which the acknowledgements ran out say only what was asked (4 a second here): never less.
        for (int i = 0; i < 4; i++) {
            answer(drain, now, 0, 250);
        }
        assertThat(drain.perSecond()).isCloseTo(200, org.assertj.core.data.Offset.offset(10.0));
        // Not measured again for longer than STALE: it counts for nothing.
        now.addAndGet(AckCapacity.DrainRate.STALE + 1);
        assertThat(drain.perSecond()).isInfinite();
    }

    /** One answer {@code millis} after the previous one, with {@code outstanding} others still waiting. */
    private static void answer(AckCapacity.DrainRate drain, AtomicLong now, int outstanding, long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        drain.answered(outstanding);
    }

    @Test
    void aQuotaThatCarriesLessThanItsLimiterAllowsGivesLessRoom() {
        AtomicLong now = new AtomicLong();
        RequestRateLimiter limiter = new RequestRateLimiter(1000);
        AckCapacity capacity = new AckCapacity(limiter, 5000, ACK_TIMEOUT, 128, () -> 0, now::get);
        assertThat(capacity.limit()).as("1000/s for 1.25 s").isEqualTo(1250);
        for (int i = 0; i < 200; i++) {
            capacity.acknowledgementOffered();
        }
        // 100 answered a second while others wait, for two seconds: a machine short of CPU.
        for (int i = 0; i < 200; i++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            capacity.acknowledgementStarted();
            capacity.acknowledgementDone();
            capacity.acknowledgementOffered();
        }
        assertThat(capacity.limit()).as("about 100/s for 1.25 s").isBetween(100, 150);
        assertThat(capacity.expectedAckWaitNanos()).as("200 waiting at about 100/s")
                .isBetween(TimeUnit.MILLISECONDS.toNanos(1600), TimeUnit.MILLISECONDS.toNanos(2400));
        capacity.close();
    }
}
