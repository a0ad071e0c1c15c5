package io.github.tdmqhttp.camel;

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
        assertThat(capacity.limit()).as("100/s for 2.5 s").isEqualTo(250);
        capacity.close();
    }

    @Test
    void consumersSpendingOneQuotaShareItFairlyAndGetTheirShareBackWhenOthersLeave() {
        RequestRateLimiter limiter = new RequestRateLimiter(1000);
        AckCapacity[] consumers = new AckCapacity[10];
        for (int i = 0; i < consumers.length; i++) {
            consumers[i] = new AckCapacity(limiter, 5000, ACK_TIMEOUT, 128, () -> 0);
        }
        assertThat(consumers[0].limit()).as("100/s each for 2.5 s").isEqualTo(250);
        AckCapacity elsewhere = new AckCapacity(new RequestRateLimiter(1000), 5000, ACK_TIMEOUT, 128, () -> 0);
        assertThat(elsewhere.limit()).as("another quota is not shared").isEqualTo(2500);
        for (int i = 1; i < consumers.length; i++) {
            consumers[i].close();
        }
        assertThat(consumers[0].limit()).isEqualTo(2500);
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
        // 4 calls at once, 100 ms each: 40 acknowledgements a second, for 2.5 s.
        AckCapacity capacity = new AckCapacity(new RequestRateLimiter(1000), 1000, ACK_TIMEOUT, 4,
                () -> TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(capacity.limit()).isEqualTo(100);
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
    void anAcknowledgementWaitsBehindEveryAcknowledgementQueuedForItsQuota() {
        RequestRateLimiter limiter = new RequestRateLimiter(100);
        AtomicLong trip = new AtomicLong();
        AckCapacity one = new AckCapacity(limiter, 1000, ACK_TIMEOUT, 2, trip::get);
        AckCapacity other = new AckCapacity(limiter, 1000, ACK_TIMEOUT, 2, trip::get);
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
        }
        assertThat(other.expectedAckWaitNanos()).as("started calls no longer wait in a queue")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(310));
        one.close();
        other.close();
    }

    @Test
    void slotsAlreadyTakenAtTheLimiterCountAsWaitToo() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(1);
        AckCapacity capacity = new AckCapacity(limiter, 1000, ACK_TIMEOUT, 128, () -> 0);
        assertThat(capacity.expectedAckWaitNanos()).as("a limiter that made no call yet").isZero();
        limiter.acquire();
        // The next slot is a second after the first: a call asking now would wait for most of it.
        assertThat(capacity.expectedAckWaitNanos()).isBetween(1L, TimeUnit.SECONDS.toNanos(1));
        capacity.close();
    }
}
