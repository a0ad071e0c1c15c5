package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.client.RequestRateLimiter;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How many received messages one consumer may hold unacknowledged: no more than its acknowledgements can settle
 * before their deadline. Every message a consumer holds, from the receive that asks for it to the end of its
 * acknowledgement, takes one unit of room; a receive asks for no more messages than there is room for, and a poller
 * that finds none waits until acknowledgements free some.
 * <p>
 * The room is the rate at which this consumer's acknowledgements can go, times a quarter of the ack timeout, and
 * never more than {@code maxUnacknowledgedMessages}. The rest of the timeout is left for processing and for the rate to
 * halve at once, as the limiter's does when the service throttles: with half, ten consumers on a 5 s timeout still
 * left hundreds of messages unstarted for their deadline on a machine short of CPU.
 * That rate is this consumer's fair share of what the AcknowledgeMessage quota carries (the limiter's current rate,
 * or less when acknowledgements were measured to go slower while some waited, as on a machine short of CPU, divided
 * by the consumers that spend it) and no more than its calls in flight carry in a measured round trip. Without the
 * bound,
 * ten consumers sharing the 1000/s quota each received 32 messages a call and queued thousands of acknowledgements
 * behind the limiter, past their deadline: TDMQ delivered those messages again and they were processed twice.
 */
public final class AckCapacity {

    /** The part of the ack timeout in which the messages held must be able to be acknowledged: a quarter. */
    private static final int SETTLING_PART = 4;
    /** How long a waiting poller sleeps before it looks again whether it may still poll. */
    private static final long WAIT_SLICE = TimeUnit.MILLISECONDS.toNanos(100);

    private final Quota quota;
    private final int maxUnacknowledged;
    private final long ackTimeoutNanos;
    private final int maxAcksInFlight;
    private final LongSupplier roundTripNanos;
    /** Messages received (or asked for by a receive in flight) and not yet settled. */
    private final AtomicInteger held = new AtomicInteger();
    /** This consumer's acknowledgements offered and not yet started: they wait for one of its calls. */
    private final AtomicInteger acksQueued = new AtomicInteger();
    /** This consumer's acknowledgements offered and not yet answered. */
    private final AtomicInteger acksOutstanding = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Pollers waiting for room: a release signals only when some wait, so a quick ack takes no lock. */
    private final AtomicInteger waiters = new AtomicInteger();

    /**
     * @param limiter            the limiter of AcknowledgeMessage this consumer's calls go through, shared with every
     *                           consumer that spends the same quota; null when calls are not limited
     * @param maxUnacknowledged  the most messages held whatever the rate allows
     * @param ackTimeoutNanos    how long TDMQ waits for an acknowledgement before it delivers a message again
     * @param maxAcksInFlight    how many acknowledgements the consumer sends at once
     * @param roundTripNanos     the measured round trip of a call, 0 while unknown
     */
    public AckCapacity(RequestRateLimiter limiter, int maxUnacknowledged, long ackTimeoutNanos, int maxAcksInFlight,
                LongSupplier roundTripNanos) {
        this(limiter, maxUnacknowledged, ackTimeoutNanos, maxAcksInFlight, roundTripNanos, System::nanoTime);
    }

    /** A capacity whose quota, when it is the first to spend it, measures the drain rate on {@code clock}; for tests. */
    AckCapacity(RequestRateLimiter limiter, int maxUnacknowledged, long ackTimeoutNanos, int maxAcksInFlight,
                LongSupplier roundTripNanos, LongSupplier clock) {
        this.quota = Quota.join(limiter, clock);
        this.maxUnacknowledged = maxUnacknowledged;
        this.ackTimeoutNanos = ackTimeoutNanos;
        this.maxAcksInFlight = maxAcksInFlight;
        this.roundTripNanos = roundTripNanos;
    }

    /** The most messages this consumer may hold now; at least 1, so that a consumer always makes progress. */
    public int limit() {
        double perSecond = quota.perSecond() / quota.consumers();
        long trip = roundTripNanos.getAsLong();
        if (trip > 0) {
            perSecond = Math.min(perSecond, maxAcksInFlight * (double) TimeUnit.SECONDS.toNanos(1) / trip);
        }
        double settled = perSecond * (ackTimeoutNanos / SETTLING_PART) / TimeUnit.SECONDS.toNanos(1);
        return (int) Math.max(1, Math.min(maxUnacknowledged, settled));
    }

    /** Messages held now: received or asked for, and not yet settled. */
    public int held() {
        return held.get();
    }

    /** Takes room for up to {@code wanted} messages without waiting; how many it took, 0 when there is none. */
    public int tryTake(int wanted) {
        int limit = limit();
        while (true) {
            int current = held.get();
            int taken = Math.min(wanted, limit - current);
            if (taken <= 0) {
                return 0;
            }
            if (held.compareAndSet(current, current + taken)) {
                return taken;
            }
        }
    }

    /**
     * Takes room for up to {@code wanted} messages, waiting while there is none and {@code mayWait} says so; how many
     * it took, 0 when it stopped waiting.
     */
    public int take(int wanted, BooleanSupplier mayWait) throws InterruptedException {
        int taken = tryTake(wanted);
        if (taken > 0) {
            return taken;
        }
        waiters.incrementAndGet();
        lock.lock();
        try {
            while ((taken = tryTake(wanted)) == 0 && mayWait.getAsBoolean()) {
                // Timed: the limit also grows without a release (a measured round trip, a consumer that left).
                freed.awaitNanos(WAIT_SLICE);
            }
            return taken;
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }

    /** Gives back the room of messages settled, or asked for and not received. */
    public void release(int count) {
        if (count <= 0) {
            return;
        }
        // Never below 0: a message of a run before a restart, settled late, must not lift the bound of this one.
        held.updateAndGet(current -> Math.max(0, current - count));
        if (waiters.get() > 0) {
            lock.lock();
            try {
                freed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** An acknowledgement (or dead letter move) is queued for one of the consumer's calls. */
    public void acknowledgementOffered() {
        acksQueued.incrementAndGet();
        acksOutstanding.incrementAndGet();
        quota.acksOutstanding.incrementAndGet();
    }

    /** An acknowledgement offered earlier starts: it asks the limiter for a slot, then calls. */
    public void acknowledgementStarted() {
        acksQueued.decrementAndGet();
    }

    /** An acknowledgement started earlier has its answer, or gave up. */
    public void acknowledgementDone() {
        // After close() took this consumer's acknowledgements off the quota, one that ends late is not taken twice.
        if (acksOutstanding.getAndUpdate(current -> Math.max(0, current - 1)) > 0) {
            quota.done();
        }
    }

    /**
     * How long an acknowledgement offered now will likely wait for its answer. Behind the quota: every
     * acknowledgement its consumers offered and have no answer for, at the rate the quota carries. Behind this
     * consumer: a round trip for each time its queued acknowledgements fill its calls in flight. Whichever is longer.
     */
    public long expectedAckWaitNanos() {
        double perSecond = quota.perSecond();
        long behindQuota = Double.isInfinite(perSecond) ? 0
                : (long) (quota.acksOutstanding.get() * TimeUnit.SECONDS.toNanos(1) / perSecond);
        long behindOwn = acksQueued.get() / maxAcksInFlight * roundTripNanos.getAsLong();
        return Math.max(behindQuota, behindOwn);
    }

    /**
     * The consumer stops: it no longer takes a share of the quota, and none of its acknowledgements counts as waiting
     * any more (those still running when they end are not taken off twice).
     */
    public void close() {
        acksQueued.set(0);
        quota.acksOutstanding.addAndGet(-acksOutstanding.getAndSet(0));
        Quota.leave(quota);
    }

    /** The consumers that spend one AcknowledgeMessage quota: one per limiter, or one per consumer without. */
    private static final class Quota {

        /** Keyed by the limiter instance: one limiter is one quota. Guarded by the class. */
        private static final Map<RequestRateLimiter, Quota> SHARED = new IdentityHashMap<>();

        private final RequestRateLimiter limiter;
        private final DrainRate drainRate;
        /** Acknowledgements offered by the consumers of the quota and not yet answered. */
        private final AtomicInteger acksOutstanding = new AtomicInteger();
        private volatile int consumers;

        private Quota(RequestRateLimiter limiter, LongSupplier clock) {
            this.limiter = limiter;
            this.drainRate = new DrainRate(clock);
        }

        static Quota join(RequestRateLimiter limiter, LongSupplier clock) {
            if (limiter == null) {
                Quota own = new Quota(null, clock);
                own.consumers = 1;
                return own;
            }
            synchronized (Quota.class) {
                Quota quota = SHARED.computeIfAbsent(limiter, key -> new Quota(key, clock));
                quota.consumers++;
                return quota;
            }
        }

        static void leave(Quota quota) {
            if (quota.limiter == null) {
                return;
            }
            synchronized (Quota.class) {
                if (--quota.consumers <= 0) {
                    SHARED.remove(quota.limiter);
                }
            }
        }

        void done() {
            drainRate.answered(acksOutstanding.decrementAndGet());
        }

        /**
         * The acknowledgements a second the quota carries now: the limiter's rate, or the rate measured while
         * acknowledgements waited when that is lower; unbounded without either.
         */
        public double perSecond() {
            double allowed = limiter != null ? limiter.currentRate() : Double.POSITIVE_INFINITY;
            return Math.min(allowed, drainRate.perSecond());
        }

        int consumers() {
            return Math.max(1, consumers);
        }
    }

    /**
     * How many acknowledgements a second are answered while more wait: what the quota really carries, which on a
     * machine short of CPU, or with a slow API, is less than the limiter allows. Measured over windows of
     * {@link #WINDOW}; a window in which the acknowledgements ran out measures nothing but the demand, so it only lets
     * the figure grow back, and a figure not measured again for {@link #STALE} counts for nothing.
     */
    public static final class DrainRate {

        static final long WINDOW = TimeUnit.MILLISECONDS.toNanos(250);
        public static final long STALE = TimeUnit.SECONDS.toNanos(2);

        private final LongSupplier clock;
        private final ReentrantLock sampling = new ReentrantLock();
        private final AtomicInteger answered = new AtomicInteger();
        private long windowStart;
        /** Whether acknowledgements waited when the window started. */
        private boolean waitingAtStart;
        private volatile double measured = Double.POSITIVE_INFINITY;
        private volatile long measuredAt;

        public DrainRate(LongSupplier clock) {
            this.clock = clock;
            this.windowStart = clock.getAsLong();
        }

        /** An acknowledgement was answered; {@code outstanding} others still wait for theirs. */
        public void answered(int outstanding) {
            answered.incrementAndGet();
            long now = clock.getAsLong();
            if (now - windowStart < WINDOW || !sampling.tryLock()) {
                return;
            }
            try {
                long elapsed = now - windowStart;
                if (elapsed < WINDOW) {
                    return;
                }
                double rate = answered.getAndSet(0) * (double) TimeUnit.SECONDS.toNanos(1) / elapsed;
                boolean saturated = waitingAtStart && outstanding > 0;
                double previous = measured;
                if (saturated) {
                    measured = Double.isInfinite(previous) ? rate : previous + (rate - previous) / 4;
                    measuredAt = now;
                } else if (!Double.isInfinite(previous) && rate > previous) {
                    measured = rate;
                }
                windowStart = now;
                waitingAtStart = outstanding > 0;
            } finally {
                sampling.unlock();
            }
        }

        /** The measured rate, or infinity while none is known (or it is stale). */
        public double perSecond() {
            double rate = measured;
            return Double.isInfinite(rate) || clock.getAsLong() - measuredAt > STALE ? Double.POSITIVE_INFINITY
                    : rate;
        }
    }
}
