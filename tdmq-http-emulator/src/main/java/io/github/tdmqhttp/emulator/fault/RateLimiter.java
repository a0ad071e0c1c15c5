package io.github.tdmqhttp.emulator.fault;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The service's per-action request limit: at most {@code limit} requests in any one-second window (a sliding window,
 * so a burst across a second boundary cannot pass twice the limit), counted for each {@link Quota}: the action, the
 * caller's SecretId and the access region, as Tencent Cloud API 3.0 counts ("API + 接入地域 + 子账号", rate-limit doc
 * 1278/109059). Off when the limit is 0.
 */
public final class RateLimiter {

    /**
     * What one window counts: requests of one action, from one caller, through one access region.
     *
     * @param action       the X-TC-Action
     * @param secretId     the SecretId the request was signed with, standing for the CAM sub-account (the service
     *                     counts per sub-account, which may own several key pairs); empty when unknown
     * @param accessRegion the region of the API server the request reached (not X-TC-Region, the product's region);
     *                     empty when unknown
     */
    public record Quota(String action, String secretId, String accessRegion) {

        public Quota {
            Objects.requireNonNull(action, "action");
            secretId = secretId == null ? "" : secretId;
            accessRegion = accessRegion == null ? "" : accessRegion;
        }
    }

    /** The limit the service documents: 1000 requests per second per action. */
    public static final int SERVICE_LIMIT = 1000;

    private static final long ONE_SECOND = 1_000_000_000L;

    /**
     * The times of the last {@code limit} admitted requests of one action, as a ring. The clock is read under the
     * window's lock, so the times in the ring are in order; a slot not used yet is free whatever the clock says.
     */
    private static final class Window {
        private final long[] admitted;
        private int used;
        private int oldest;

        Window(int limit) {
            admitted = new long[limit];
        }

        synchronized boolean tryAdmit(LongSupplier clock) {
            long now = clock.getAsLong();
            if (used < admitted.length) {
                admitted[used++] = now;
                return true;
            }
            if (now - admitted[oldest] < ONE_SECOND) {
                return false;
            }
            admitted[oldest] = now;
            oldest = (oldest + 1) % admitted.length;
            return true;
        }
    }

    /** The limit and the windows counted against it, swapped together when the limit changes. */
    private record State(int limit, ConcurrentHashMap<Quota, Window> windows) {
    }

    private final LongSupplier clock;
    private volatile State state;

    /** @param limit requests per second per action; 0 turns limiting off */
    public RateLimiter(int limit) {
        this(limit, System::nanoTime);
    }

    /** A limiter reading {@code clock} (nanoseconds), for tests. */
    RateLimiter(int limit, LongSupplier clock) {
        this.clock = clock;
        limit(limit);
    }

    /** Requests per second per action, caller and access region; 0 when off. */
    public int limit() {
        return state.limit();
    }

    /** Changes the limit; the count starts afresh. */
    public void limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("rate limit must not be negative, was " + limit);
        }
        this.state = new State(limit, new ConcurrentHashMap<>());
    }

    /** Whether a request counted against {@code quota} may go on now; a refused request is not counted. */
    public boolean tryAcquire(Quota quota) {
        State current = state;
        if (current.limit() == 0) {
            return true;
        }
        return current.windows().computeIfAbsent(quota, any -> new Window(current.limit())).tryAdmit(clock);
    }

    /** {@link #tryAcquire(Quota)} for a request of {@code action} from one unnamed caller. */
    public boolean tryAcquire(String action) {
        return tryAcquire(new Quota(action, "", ""));
    }
}
