package io.github.tdmqhttp.camel.consumer;

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
public final class Settlements {

    /** The longest work may wait for a lane at work rather than wake a thread: nothing next to an ack timeout. */
    public static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(5);

    private final Executor threads;
    private final int maxLanes;
    private final int maxWaiting;
    private final LongSupplier callNanos;
    private final LongSupplier clock;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    /** The work in {@link #waiting}; counted apart, since a concurrent queue counts by walking itself. */
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger lanes = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    /**
     * When a lane last started or took work (clock time): lanes that took none for longer than MAX_WAIT are stuck in
     * slow calls.
     */
    private volatile long lastTaken;
    private volatile boolean closed;

    /**
     * @param threads    runs the lanes; it should have a thread for each of {@code maxLanes}
     * @param maxLanes   the most work run at once
     * @param maxWaiting the most work waiting for a lane; beyond that {@link #offer} refuses
     * @param callNanos  how long a piece of work takes lately (a call's round trip), 0 while unknown
     */
    public Settlements(Executor threads, int maxLanes, int maxWaiting, LongSupplier callNanos) {
        this(threads, maxLanes, maxWaiting, callNanos, System::nanoTime);
    }

    /** Settlements reading {@code clock} (nanoseconds), for tests. */
    Settlements(Executor threads, int maxLanes, int maxWaiting, LongSupplier callNanos, LongSupplier clock) {
        this.threads = threads;
        this.maxLanes = maxLanes;
        this.maxWaiting = maxWaiting;
        this.callNanos = callNanos;
        this.clock = clock;
        this.lastTaken = clock.getAsLong();
    }

    /**
     * Queues work for a lane; false, and nothing queued, when {@code maxWaiting} already wait or after {@link #close}:
     * then the caller runs it, which slows it down instead of letting work pile up.
     */
    public boolean offer(Runnable work) {
        if (closed || waitingCount.get() >= maxWaiting) {
            return false;
        }
        waitingCount.incrementAndGet();
        waiting.add(work);
        if (closed && waiting.remove(work)) {
            // close() emptied the queue before this work was in it: the caller runs it, or close() counted it.
            waitingCount.decrementAndGet();
            return false;
        }
        startLaneIfNeeded();
        return true;
    }

    /**
     * Starts a lane for each piece of work waiting, up to {@code maxLanes}, so that none waits behind a call at work:
     * for a stop, after which no new work comes to start lanes.
     */
    public void spreadOut() {
        int wanted = waitingCount.get();
        for (int started = 0; started < wanted;) {
            int current = lanes.get();
            if (current >= maxLanes) {
                return;
            }
            if (lanes.compareAndSet(current, current + 1)) {
                launch();
                started++;
            }
        }
    }

    /** Work waiting for a lane and work being run. */
    public int pending() {
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
    public int close() {
        closed = true;
        int dropped = 0;
        while (take() != null) {
            dropped++;
        }
        return dropped;
    }

    private void startLaneIfNeeded() {
        int current;
        do {
            current = lanes.get();
            if (current >= maxLanes || current > 0 && waitingCount.get() <= current * workPerLane()) {
                return;
            }
        } while (!lanes.compareAndSet(current, current + 1));
        launch();
    }

    /**
     * How much work one lane at work finishes within MAX_WAIT; the rest needs another lane now. Lanes that took
     * nothing for longer than that are stuck in slow calls: work then gets a lane of its own.
     */
    private long workPerLane() {
        long call = callNanos.getAsLong();
        return call > 0 && clock.getAsLong() - lastTaken <= MAX_WAIT ? MAX_WAIT / call : 0;
    }

    /** Runs a lane already counted in {@link #lanes}. */
    private void launch() {
        lastTaken = clock.getAsLong();
        try {
            threads.execute(this::lane);
        } catch (RejectedExecutionException stopping) {
            // The threads are shut down (the consumer stops): the caller does the work, as it would when too much waits.
            lanes.decrementAndGet();
            runAllHere();
        }
    }

    /** Runs what waits on this thread; work that throws does not keep the rest from running. */
    private void runAllHere() {
        RuntimeException firstFailure = null;
        boolean more = true;
        while (more) {
            try {
                more = runNext();
            } catch (RuntimeException failure) {
                if (firstFailure == null) {
                    firstFailure = failure;
                }
            }
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    private void lane() {
        do {
            try {
                while (!closed && runNext()) {
                    // the next
                }
            } catch (RuntimeException | Error unexpected) {
                // The work handles its own failures; should one escape, the lane ends but the waiting work does not.
                lanes.decrementAndGet();
                if (!closed && !waiting.isEmpty()) {
                    startLaneIfNeeded();
                }
                throw unexpected;
            }
            lanes.decrementAndGet();
            // Work queued while this lane was leaving, by a caller that counted on it: take it up again, unless another
            // lane is still at work (it checks the same on its way out).
        } while (!closed && !waiting.isEmpty() && lanes.compareAndSet(0, 1));
    }

    /** Takes and runs the next waiting work; false when none waits. Counted as running from before it is taken. */
    private boolean runNext() {
        running.incrementAndGet();
        try {
            Runnable work = take();
            if (work == null) {
                return false;
            }
            lastTaken = clock.getAsLong();
            work.run();
            return true;
        } finally {
            running.decrementAndGet();
        }
    }

    private Runnable take() {
        Runnable work = waiting.poll();
        if (work != null) {
            waitingCount.decrementAndGet();
        }
        return work;
    }
}
