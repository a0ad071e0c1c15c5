package io.github.tdmqhttp.camel.consumer;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettlementsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** Threads the settlements asked for: each is a sleeping thread woken, or a new one. */
    private final AtomicInteger lanesStarted = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    /** What escaped a lane, as the pool's thread would see it. */
    private final AtomicReference<Throwable> escaped = new AtomicReference<>();

    @AfterEach
    void stopThreads() {
        release.countDown();
        pool.shutdownNow();
    }

    /** Calls that take as long as work may wait: one may wait for each lane at work. */
    private static final long ONE_PER_LANE = Settlements.MAX_WAIT;
    /** Calls that take longer than work may wait. */
    private static final long SLOW_CALL = TimeUnit.SECONDS.toNanos(1);

    /** The settlements' clock: it stands still unless a test moves it, so no lane looks stuck in a slow call. */
    private final AtomicLong now = new AtomicLong();

    private Settlements settlements(int maxLanes, int maxWaiting, long callNanos) {
        return new Settlements(task -> {
            lanesStarted.incrementAndGet();
            pool.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    escaped.set(e);
                }
            });
        }, maxLanes, maxWaiting, () -> callNanos, now::get);
    }

    /** Offers a call and waits until a lane has taken it: that lane is then at work until {@link #release}. */
    private void laneAtWork(Settlements settlements, AtomicInteger done) {
        settlements.offer(call(done));
        await().atMost(PATIENCE).until(() -> settlements.waiting() == 0);
    }

    /** Work that waits for {@link #release}, as a call waits for its answer. */
    private Runnable call(AtomicInteger done) {
        return () -> {
            try {
                release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.incrementAndGet();
        };
    }

    @Test
    void workOfferedFromManyThreadsRunsOnceEach() throws Exception {
        Settlements settlements = settlements(8, 10_000, TimeUnit.MICROSECONDS.toNanos(100));
        int perThread = 5_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * perThread);
        ExecutorService offering = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> offers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t * perThread;
                offers.add(() -> {
                    int ranHere = 0;
                    for (int i = first; i < first + perThread; i++) {
                        int id = i;
                        if (!settlements.offer(() -> runs.incrementAndGet(id))) {
                            runs.incrementAndGet(id);
                            ranHere++;
                        }
                    }
                    return ranHere;
                });
            }
            for (Future<Integer> offer : offering.invokeAll(offers, 30, TimeUnit.SECONDS)) {
                offer.get();
            }
        } finally {
            offering.shutdownNow();
        }

        await().atMost(PATIENCE).until(() -> settlements.pending() == 0 && settlements.lanes() == 0);
        for (int id = 0; id < runs.length(); id++) {
            assertThat(runs.get(id)).as("work %d", id).isEqualTo(1);
        }
    }

    /**
     * Work offered while the only lane is on its way out (it found nothing waiting and has not yet said it left): the
     * caller counts on that lane, so the lane must see the work and take it up again, or the work waits for ever.
     */
    @Test
    void workOfferedAsTheLastLaneLeavesIsStillRun() {
        Settlements settlements = settlements(4, 100, ONE_PER_LANE);
        AtomicInteger done = new AtomicInteger();
        for (int round = 1; round <= 100_000; round++) {
            // Offered the moment the previous work is done: its lane is then on its way out.
            assertThat(settlements.offer(done::incrementAndGet)).isTrue();
            int expected = round;
            spinUntil(() -> done.get() == expected, "round " + round + ": the work is run");
        }
    }

    @Test
    void quickCallsLetWorkWaitForALaneAtWorkInsteadOfWakingAnotherThreadUntilMoreWaitsThanTheLanesReach() {
        Settlements settlements = settlements(8, 100, ONE_PER_LANE);
        AtomicInteger done = new AtomicInteger();

        laneAtWork(settlements, done);
        settlements.offer(call(done));
        assertThat(lanesStarted.get()).as("one waits for the one lane at work").isEqualTo(1);

        settlements.offer(call(done));
        assertThat(lanesStarted.get()).as("two wait for one lane: a second starts").isEqualTo(2);
        await().atMost(PATIENCE).until(() -> settlements.waiting() == 1);
        settlements.offer(call(done));
        assertThat(lanesStarted.get()).as("two wait for two lanes").isEqualTo(2);

        release.countDown();
        await().atMost(PATIENCE).until(() -> done.get() == 4 && settlements.lanes() == 0);
        assertThat(settlements.pending()).isZero();
    }

    @Test
    void howMuchWaitsForEachLaneFollowsTheLengthOfACall() {
        AtomicInteger done = new AtomicInteger();
        Settlements quick = settlements(8, 100, Settlements.MAX_WAIT / 4);
        laneAtWork(quick, done);
        for (int i = 0; i < 8; i++) {
            quick.offer(call(done));
        }
        assertThat(lanesStarted.get()).as("four may wait for each lane at work").isEqualTo(2);

        lanesStarted.set(0);
        Settlements slow = settlements(8, 100, SLOW_CALL);
        for (int i = 0; i < 5; i++) {
            slow.offer(call(done));
        }
        assertThat(lanesStarted.get()).as("calls longer than the wait: a lane each").isEqualTo(5);

        lanesStarted.set(0);
        Settlements unmeasured = settlements(8, 100, 0);
        for (int i = 0; i < 5; i++) {
            unmeasured.offer(call(done));
        }
        assertThat(lanesStarted.get()).as("no call measured yet: a lane each").isEqualTo(5);

        release.countDown();
        await().atMost(PATIENCE).until(() -> done.get() == 19);
    }

    @Test
    void lanesGrowToTheMaximumAndNoFurther() {
        Settlements settlements = settlements(3, 100, ONE_PER_LANE);
        AtomicInteger done = new AtomicInteger();

        for (int i = 0; i < 20; i++) {
            settlements.offer(call(done));
        }

        await().atMost(PATIENCE).until(() -> settlements.waiting() == 17);
        assertThat(settlements.lanes()).isEqualTo(3);
        assertThat(lanesStarted.get()).isEqualTo(3);
        assertThat(settlements.pending()).isEqualTo(20);
        release.countDown();
        await().atMost(PATIENCE).until(() -> done.get() == 20 && settlements.lanes() == 0);
    }

    @Test
    void beyondMaxWaitingTheCallerIsToldToRunTheWorkItself() {
        Settlements settlements = settlements(1, 2, SLOW_CALL);
        AtomicInteger done = new AtomicInteger();
        laneAtWork(settlements, done);

        assertThat(settlements.offer(call(done))).isTrue();
        assertThat(settlements.offer(call(done))).isTrue();
        assertThat(settlements.offer(call(done))).isFalse();
        assertThat(settlements.pending()).isEqualTo(3);
    }

    @Test
    void closeDropsAndCountsWhatWaitsAndRefusesMore() {
        Settlements settlements = settlements(1, 10, SLOW_CALL);
        AtomicInteger done = new AtomicInteger();
        laneAtWork(settlements, done);
        settlements.offer(call(done));
        settlements.offer(call(done));

        assertThat(settlements.close()).isEqualTo(2);
        assertThat(settlements.offer(call(done))).isFalse();
        release.countDown();
        await().atMost(PATIENCE).until(() -> settlements.lanes() == 0);
        assertThat(done.get()).as("only the work already running").isEqualTo(1);
    }

    @Test
    void whenTheThreadsAreShutDownTheCallerRunsTheWork() {
        Settlements settlements = new Settlements(task -> {
            throw new RejectedExecutionException("shut down");
        }, 4, 10, () -> 0);
        AtomicReference<Thread> ranOn = new AtomicReference<>();

        assertThat(settlements.offer(() -> ranOn.set(Thread.currentThread()))).isTrue();

        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(settlements.pending()).isZero();
        assertThat(settlements.lanes()).isZero();
    }

    @Test
    void workThatThrowsEndsItsLaneButNotTheWorkWaitingBehindIt() {
        Settlements settlements = settlements(1, 10, SLOW_CALL);
        AtomicInteger done = new AtomicInteger();
        CountDownLatch failing = new CountDownLatch(1);
        settlements.offer(() -> {
            try {
                failing.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("a bug in the work");
        });
        await().atMost(PATIENCE).until(() -> settlements.waiting() == 0);
        settlements.offer(done::incrementAndGet);

        failing.countDown();

        await().atMost(PATIENCE).until(() -> done.get() == 1 && settlements.lanes() == 0 && escaped.get() != null);
        assertThat(escaped.get()).hasMessage("a bug in the work");
        assertThat(lanesStarted.get()).isEqualTo(2);
    }

    @Test
    void lanesThatTookNothingForLongerThanTheWaitAreStuckAndWorkGetsALaneOfItsOwn() {
        AtomicInteger done = new AtomicInteger();
        Settlements settlements = settlements(8, 100, Settlements.MAX_WAIT / 4);
        laneAtWork(settlements, done);
        settlements.offer(call(done));
        assertThat(lanesStarted.get()).as("quick calls: it waits for the lane at work").isEqualTo(1);

        now.addAndGet(Settlements.MAX_WAIT + 1);
        settlements.offer(call(done));

        assertThat(lanesStarted.get()).as("the lane took nothing for longer than the wait").isEqualTo(2);
        release.countDown();
        await().atMost(PATIENCE).until(() -> done.get() == 3 && settlements.lanes() == 0);
    }

    @Test
    void spreadingOutStartsALaneForEachPieceOfWorkWaitingUpToTheMaximum() {
        Settlements settlements = settlements(4, 100, ONE_PER_LANE / 10);
        AtomicInteger done = new AtomicInteger();
        laneAtWork(settlements, done);
        for (int i = 0; i < 5; i++) {
            settlements.offer(call(done));
        }
        assertThat(lanesStarted.get()).isEqualTo(1);

        settlements.spreadOut();

        assertThat(settlements.lanes()).isEqualTo(4);
        await().atMost(PATIENCE).until(() -> settlements.waiting() == 2);
        release.countDown();
        await().atMost(PATIENCE).until(() -> done.get() == 6 && settlements.lanes() == 0);
    }

    @Test
    void workRunOnTheCallerAfterAShutdownIsAllRunWhenOneThrows() {
        // The first lane is accepted and never runs (a thread that did not get to it yet); then the threads are shut down.
        AtomicInteger accepted = new AtomicInteger();
        Settlements settlements = new Settlements(task -> {
            if (accepted.getAndIncrement() > 0) {
                throw new RejectedExecutionException("shut down");
            }
        }, 4, 10, () -> 0);
        AtomicInteger done = new AtomicInteger();
        settlements.offer(() -> {
            throw new IllegalStateException("a bug in the work");
        });

        assertThatThrownBy(() -> settlements.offer(done::incrementAndGet)).hasMessage("a bug in the work");

        assertThat(done.get()).as("the work behind the one that threw").isEqualTo(1);
        assertThat(settlements.waiting()).isZero();
    }

    /**
     * An exchange that completes while the consumer's stop gives up on the acknowledgements still waiting: its work is
     * either refused (its thread runs it), run by a lane, or counted by close(); never left in the queue uncounted.
     */
    @Test
    void workOfferedWhileClosingIsRefusedRunOrCountedAsDropped() throws Exception {
        ExecutorService offering = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 1_000; round++) {
                CountDownLatch stuck = new CountDownLatch(1);
                Settlements settlements = new Settlements(pool::execute, 1, 1_000, () -> SLOW_CALL);
                settlements.offer(() -> {
                    try {
                        stuck.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                spinUntil(() -> settlements.waiting() == 0, "the lane takes the stuck call");
                AtomicInteger ranByLanes = new AtomicInteger();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Integer> accepted = offering.submit(() -> {
                    together.await(5, TimeUnit.SECONDS);
                    int count = 0;
                    for (int i = 0; i < 20; i++) {
                        if (settlements.offer(ranByLanes::incrementAndGet)) {
                            count++;
                        }
                    }
                    return count;
                });
                together.await(5, TimeUnit.SECONDS);
                int dropped = settlements.close();
                int offered = accepted.get(10, TimeUnit.SECONDS);
                stuck.countDown();
                spinUntil(() -> settlements.lanes() == 0, "the lane ends");

                assertThat(dropped + ranByLanes.get()).as("round %d: accepted work dropped or run", round)
                        .isEqualTo(offered);
            }
        } finally {
            offering.shutdownNow();
        }
    }

    /** Awaitility starts a thread per wait and polls every 100 ms: too slow for thousands of rounds. A bounded spin. */
    private static void spinUntil(BooleanSupplier condition, String what) {
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - giveUp).as(what).isNegative();
            Thread.yield();
        }
    }
}
