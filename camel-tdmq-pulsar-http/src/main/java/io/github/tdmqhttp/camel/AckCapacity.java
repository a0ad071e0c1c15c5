package io.github.tdmqhttp.camel;

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
 * The room is the rate at which this consumer's acknowledgements can go, times half the ack timeout (the other half
 * is left for processing and for the estimate to be wrong), and never more than {@code maxUnacknowledgedMessages}.
 * That rate is this consumer's fair share of the AcknowledgeMessage quota (the limiter's current rate divided by the
 * consumers that spend it) and no more than its calls in flight carry in a measured round trip. Without the bound,
 * ten consumers sharing the 1000/s quota each received 32 messages a call and queued thousands of acknowledgements
 * behind the limiter, past their deadline: TDMQ delivered those messages again and they were processed twice.
 */
final class AckCapacity {

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
    AckCapacity(RequestRateLimiter limiter, int maxUnacknowledged, long ackTimeoutNanos, int maxAcksInFlight,
                LongSupplier roundTripNanos) {
        this.quota = Quota.join(limiter);
        this.maxUnacknowledged = maxUnacknowledged;
        this.ackTimeoutNanos = ackTimeoutNanos;
        this.maxAcksInFlight = maxAcksInFlight;
        this.roundTripNanos = roundTripNanos;
    }

    /** The most messages this consumer may hold now; at least 1, so that a consumer always makes progress. */
    int limit() {
        double perSecond = quota.perSecond() / quota.consumers();
        long trip = roundTripNanos.getAsLong();
        if (trip > 0) {
            perSecond = Math.min(perSecond, maxAcksInFlight * (double) TimeUnit.SECONDS.toNanos(1) / trip);
        }
        double settled = perSecond * (ackTimeoutNanos / 2) / TimeUnit.SECONDS.toNanos(1);
        return (int) Math.max(1, Math.min(maxUnacknowledged, settled));
    }

    /** Messages held now: received or asked for, and not yet settled. */
    int held() {
        return held.get();
    }

    /** Takes room for up to {@code wanted} messages without waiting; how many it took, 0 when there is none. */
    int tryTake(int wanted) {
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
    int take(int wanted, BooleanSupplier mayWait) throws InterruptedException {
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
    void release(int count) {
        if (count <= 0) {
            return;
        }
        held.addAndGet(-count);
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
    void acknowledgementOffered() {
        acksQueued.incrementAndGet();
        quota.acksQueued.incrementAndGet();
    }

    /** An acknowledgement offered earlier starts: it asks the limiter for a slot, then calls. */
    void acknowledgementStarted() {
        acksQueued.decrementAndGet();
        quota.acksQueued.decrementAndGet();
    }

    /** Acknowledgements offered and not yet started by this consumer. */
    int acknowledgementsQueued() {
        return acksQueued.get();
    }

    /**
     * How long an acknowledgement offered now will likely wait before its call starts. Behind the quota: the slots
     * of the limiter already taken, and one slot for each acknowledgement that its consumers queued and did not
     * start yet. Behind this consumer: a round trip for each time its queued acknowledgements fill its calls in
     * flight. Whichever is longer.
     */
    long expectedAckWaitNanos() {
        long behindQuota = quota.backlogNanos()
                           + (long) (quota.acksQueued.get() * TimeUnit.SECONDS.toNanos(1) / quota.perSecond());
        long behindOwn = acksQueued.get() / maxAcksInFlight * roundTripNanos.getAsLong();
        return Math.max(behindQuota, behindOwn);
    }

    /**
     * The consumer stops: it no longer takes a share of the quota, and acknowledgements it queued and never started
     * (dropped at the end of a stop) no longer count as waiting.
     */
    void close() {
        quota.acksQueued.addAndGet(-acksQueued.getAndSet(0));
        Quota.leave(quota);
    }

    /** The consumers that spend one AcknowledgeMessage quota: one per limiter, or one per consumer without. */
    private static final class Quota {

        /** Keyed by the limiter instance: one limiter is one quota. Guarded by the class. */
        private static final Map<RequestRateLimiter, Quota> SHARED = new IdentityHashMap<>();

        private final RequestRateLimiter limiter;
        private final AtomicInteger acksQueued = new AtomicInteger();
        private volatile int consumers;

        private Quota(RequestRateLimiter limiter) {
            this.limiter = limiter;
        }

        static Quota join(RequestRateLimiter limiter) {
            if (limiter == null) {
                Quota own = new Quota(null);
                own.consumers = 1;
                return own;
            }
            synchronized (Quota.class) {
                Quota quota = SHARED.computeIfAbsent(limiter, Quota::new);
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

        /** How long a call would wait for its slot of the limiter now. */
        long backlogNanos() {
            return limiter != null ? limiter.backlogNanos() : 0;
        }

        /** The acknowledgements a second the quota allows now; unbounded without a limiter. */
        double perSecond() {
            return limiter != null ? limiter.currentRate() : Double.POSITIVE_INFINITY;
        }

        int consumers() {
            return Math.max(1, consumers);
        }
    }
}
