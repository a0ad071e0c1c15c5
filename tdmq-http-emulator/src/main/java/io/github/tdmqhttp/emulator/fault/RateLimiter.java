package io.github.tdmqhttp.emulator.fault;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's per-action request limit: at most {@code limit} requests of one action in any one-second window
 * (a sliding window, so a burst across a second boundary cannot pass twice the limit). Off when the limit is 0.
 */
public final class RateLimiter {

    /** The limit the service documents: 1000 requests per second per action. */
    public static final int SERVICE_LIMIT = 1000;

    private static final long ONE_SECOND = 1_000_000_000L;

    /** The times of the last {@code limit} admitted requests of one action, as a ring. */
    private static final class Window {
        private final long[] admitted;
        private int oldest;

        Window(int limit, long now) {
            admitted = new long[limit];
            java.util.Arrays.fill(admitted, now - ONE_SECOND);
        }

        synchronized boolean tryAdmit(long now) {
            if (now - admitted[oldest] < ONE_SECOND) {
                return false;
            }
            admitted[oldest] = now;
            oldest = (oldest + 1) % admitted.length;
            return true;
        }
    }

    /** The limit and the windows counted against it, swapped together when the limit changes. */
    private record State(int limit, ConcurrentHashMap<String, Window> windows) {
    }

    private volatile State state;

    /** @param limit requests per second per action; 0 turns limiting off */
    public RateLimiter(int limit) {
        limit(limit);
    }

    /** Requests per second per action; 0 when off. */
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

    /** Whether a request of {@code action} may go on now; a refused request is not counted in the window. */
    public boolean tryAcquire(String action) {
        State current = state;
        if (current.limit() == 0) {
            return true;
        }
        long now = System.nanoTime();
        return current.windows().computeIfAbsent(action, any -> new Window(current.limit(), now)).tryAdmit(now);
    }
}
