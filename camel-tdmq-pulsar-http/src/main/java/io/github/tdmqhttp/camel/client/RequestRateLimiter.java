package io.github.tdmqhttp.camel.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces the calls of one API action evenly, at most {@code perSecond} a second, so that a busy route stays within
 * TDMQ's per-action quota instead of being throttled and backing off. No bursts: an idle limiter does not save up
 * permits, which keeps every one-second window under the quota.
 * <p>
 * The quota belongs to the CAM sub-account in a region, so other applications may be using part of it. When the
 * service throttles a call anyway, the limiter halves its rate, then wins the rate back little by little with each call that goes through:
 * several clients that share a quota settle under it instead of throttling each other until their retries run out.
 */
public final class RequestRateLimiter {

    /** The slowest the limiter goes after throttling: ten calls a second, or the configured rate if lower. */
    private static final long SLOWEST_INTERVAL = TimeUnit.MILLISECONDS.toNanos(100);
    /** Throttled answers that arrive together are one signal: halve at most this often. */
    private static final long SLOW_DOWN_PERIOD = TimeUnit.MILLISECONDS.toNanos(200);
    /** Each call that goes through takes back this part of the distance to the configured rate. */
    private static final double RECOVERY = 0.01;

    private volatile long fastestInterval;
    private volatile long slowestInterval;
    private volatile int configuredRate;
    private final AtomicLong interval;
    private final AtomicLong nextSlot = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastSlowDown = new AtomicLong(System.nanoTime() - SLOW_DOWN_PERIOD);

    public RequestRateLimiter(int perSecond) {
        this.interval = new AtomicLong();
        limitTo(perSecond);
    }

    /**
     * Changes the configured rate, for a quota whose endpoints changed ({@link RequestRateLimiters}): a lower rate
     * applies at once, a higher one is won back as calls go through.
     */
    public void limitTo(int perSecond) {
        long fastest = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.configuredRate = perSecond;
        this.fastestInterval = fastest;
        this.slowestInterval = Math.max(SLOWEST_INTERVAL, fastest);
        // A throttled limiter stays as slow as it is; a faster configuration is won back call by call.
        interval.updateAndGet(current -> current == 0 ? fastest : Math.max(current, fastest));
    }

    /** The calls a second this limiter allows at most, as configured. */
    public int configuredRate() {
        return configuredRate;
    }

    /**
     * Waits for this caller's slot.
     *
     * @throws InterruptedException when the thread is interrupted while it waits
     */
    public void acquire() throws InterruptedException {
        long step = interval.get();
        long now = System.nanoTime();
        long slot = Math.max(nextSlot.getAndAccumulate(now, (previous, at) -> Math.max(previous, at) + step), now);
        for (long wait = slot - now; wait > 0; wait = slot - System.nanoTime()) {
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a request slot");
            }
        }
    }

    /** The service throttled a call: go at half the rate. */
    public void throttled() {
        long now = System.nanoTime();
        long last = lastSlowDown.get();
        if (now - last >= SLOW_DOWN_PERIOD && lastSlowDown.compareAndSet(last, now)) {
            interval.updateAndGet(current -> Math.min(slowestInterval, current * 2));
        }
    }

    /** A call went through: win back a little of the configured rate. */
    public void passed() {
        // The fastest interval is read at each try: a rate lowered meanwhile (limitTo) is a floor this never goes under.
        interval.updateAndGet(current -> {
            long fastest = fastestInterval;
            return current <= fastest ? Math.max(current, fastest)
                    : Math.max(fastest, current - (long) Math.ceil((current - fastest) * RECOVERY));
        });
    }

    /** The calls a second the limiter allows now. */
    public double currentRate() {
        return (double) TimeUnit.SECONDS.toNanos(1) / interval.get();
    }
}
