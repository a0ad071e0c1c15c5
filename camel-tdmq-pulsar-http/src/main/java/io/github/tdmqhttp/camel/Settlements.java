package io.github.tdmqhttp.camel;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Hands the work of completed exchanges (acknowledgements, dead letter moves) to the call threads, waking few of them
 * when calls are quick. A thread takes waiting work in a loop, a lane: when a call ends it takes the next waiting work
 * itself. Work may wait for a lane at work only about as long as {@link #MAX_WAIT}, counted in calls of the measured
 * length: when calls take a millisecond (an API on the same host or network), up to five wait for each lane at work;
 * when they take longer than {@code MAX_WAIT}, or before any was measured, each piece of work gets a lane of its own
 * at once, as many as {@code maxLanes}.
 * <p>
 * An executor task per acknowledgement woke a sleeping thread for nearly every message: a futex call and a context
 * switch that, in the benchmark's CPU probe, cost about as much as Camel's routing of the message.
 */
final class Settlements {

    /** The longest work may wait for a lane at work rather than wake a thread: nothing next to an ack timeout. */
    static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(5);

    private final Executor threads;
    private final int maxLanes;
    private final int maxWaiting;
    private final LongSupplier callNanos;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    /** The work in {@link #waiting}; counted apart, since a concurrent queue counts by walking itself. */
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger lanes = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param threads    runs the lanes; it should have a thread for each of {@code maxLanes}
     * @param maxLanes   the most work run at once
     * @param maxWaiting the most work waiting for a lane; beyond that {@link #offer} refuses
     * @param callNanos  how long a piece of work takes lately (a call's round trip), 0 while unknown
     */
    Settlements(Executor threads, int maxLanes, int maxWaiting, LongSupplier callNanos) {
        this.threads = threads;
        this.maxLanes = maxLanes;
        this.maxWaiting = maxWaiting;
        this.callNanos = callNanos;
    }

    /**
     * Queues work for a lane; false, and nothing queued, when {@code maxWaiting} already wait or after {@link #close}:
     * then the caller runs it, which slows it down instead of letting work pile up.
     */
    boolean offer(Runnable work) {
        if (closed || waitingCount.get() >= maxWaiting) {
            return false;
        }
        waitingCount.incrementAndGet();
        waiting.add(work);
        startLaneIfNeeded();
        return true;
    }

    /** Work waiting for a lane and work being run. */
    int pending() {
        return waitingCount.get() + running.get();
    }

    /** Lanes at work now, for tests. */
    int lanes() {
        return lanes.get();
    }

    /** Work waiting for a lane, for tests. */
    int waiting() {
        return waitingCount.get();
    }

    /**
     * Ends the lanes after the work they run now and drops what waits.
     *
     * @return how much waiting work was dropped
     */
    int close() {
        closed = true;
        int dropped = 0;
        while (take() != null) {
            dropped++;
        }
        return dropped;
    }

    private void startLaneIfNeeded() {
        long call = callNanos.getAsLong();
        // How much work one lane at work finishes within MAX_WAIT; the rest needs another lane now.
        long perLane = call > 0 ? MAX_WAIT / call : 0;
        int current;
        do {
            current = lanes.get();
            if (current >= maxLanes || current > 0 && waitingCount.get() <= current * perLane) {
                return;
            }
        } while (!lanes.compareAndSet(current, current + 1));
        try {
            threads.execute(this::lane);
        } catch (RejectedExecutionException stopping) {
            // The threads are shut down (the consumer stops): the caller does the work, as it would when too much waits.
            lanes.decrementAndGet();
            Runnable work;
            while ((work = take()) != null) {
                run(work);
            }
        }
    }

    private void lane() {
        do {
            Runnable work;
            while (!closed && (work = take()) != null) {
                try {
                    run(work);
                } catch (RuntimeException | Error unexpected) {
                    // The work handles its own failures; should one escape, the lane ends but the waiting work does not.
                    lanes.decrementAndGet();
                    if (!closed && !waiting.isEmpty()) {
                        startLaneIfNeeded();
                    }
                    throw unexpected;
                }
            }
            lanes.decrementAndGet();
            // Work queued while this lane was leaving, by a caller that counted on it: take it up again, unless another
            // lane is still at work (it checks the same on its way out).
        } while (!closed && !waiting.isEmpty() && lanes.compareAndSet(0, 1));
    }

    private Runnable take() {
        Runnable work = waiting.poll();
        if (work != null) {
            waitingCount.decrementAndGet();
        }
        return work;
    }

    private void run(Runnable work) {
        running.incrementAndGet();
        try {
            work.run();
        } finally {
            running.decrementAndGet();
        }
    }
}
