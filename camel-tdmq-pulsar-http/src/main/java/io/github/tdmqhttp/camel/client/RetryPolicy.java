package io.github.tdmqhttp.camel.client;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a call again while it fails in a way that is safe to repeat ({@link TdmqHttpException#isSafeToRetry()}), with
 * exponential backoff and jitter, a bounded number of times. A send whose message may be stored is never repeated
 * here: that is the route's choice (Camel's redelivery). The SDK's own retry() is not used: it waits a fixed second
 * and retries everything, authentication failures and sends included.
 */
public final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final int maxRetries;
    private final long initialDelay;
    private final long maxDelay;
    private final double multiplier;
    /** Told of each retry, for the figures; must not throw. */
    private final Runnable onRetry;

    /**
     * @throws IllegalArgumentException naming the option, its value and what it may be, when a value is out of range
     */
    RetryPolicy(int maxRetries, long initialDelay, long maxDelay, double multiplier) {
        requireInRange("maxRetries", maxRetries, maxRetries >= 0, "0 (no retries) or more");
        requireInRange("retryInitialDelay", initialDelay + " ms", initialDelay >= 0, "0 ms or more");
        requireInRange("retryMaxDelay", maxDelay + " ms", maxDelay >= initialDelay,
                "retryInitialDelay (" + initialDelay + " ms) or more");
        requireInRange("retryMultiplier", multiplier, multiplier >= 1.0 && Double.isFinite(multiplier),
                "1.0 (every backoff as long as retryInitialDelay) or more");
        this.maxRetries = maxRetries;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.onRetry = () -> {
        };
    }

    private RetryPolicy(RetryPolicy policy, Runnable onRetry) {
        this.maxRetries = policy.maxRetries;
        this.initialDelay = policy.initialDelay;
        this.maxDelay = policy.maxDelay;
        this.multiplier = policy.multiplier;
        this.onRetry = onRetry;
    }

    /** The same policy, telling {@code onRetry} of every retry (to count them). */
    public RetryPolicy onRetry(Runnable onRetry) {
        return new RetryPolicy(this, onRetry);
    }

    /**
     * The policy of an endpoint's options; the producer and the consumer build it as they are created, so a value
     * out of range stops the route from starting.
     */
    public static RetryPolicy of(TdmqHttpConfiguration configuration) {
        return new RetryPolicy(configuration.getMaxRetries(), configuration.getRetryInitialDelay(),
                configuration.getRetryMaxDelay(), configuration.getRetryMultiplier());
    }

    /**
     * The call's result, after as many retries as the failures allow.
     *
     * @throws TdmqHttpException the last failure, when it is not safe to retry, the retries are used up, or the thread
     *                           is interrupted while it waits
     */
    public <T> T call(Supplier<T> call) {
        for (int retry = 0;; retry++) {
            try {
                return call.get();
            } catch (TdmqHttpException e) {
                if (!e.isSafeToRetry() || retry >= maxRetries || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                waitBeforeRetry(e, retry, delayBefore(retry));
            }
        }
    }

    /**
     * The call's result, retrying every failure that is safe to retry, however many, until the deadline (a
     * {@link System#nanoTime()} value, asked again before each retry): for calls worth nothing after a deadline, such
     * as an acknowledgement after its message's ack timeout.
     *
     * @throws TdmqHttpException the last failure, when it is not safe to retry, the next try would start after the
     *                           deadline, or the thread is interrupted while it waits
     */
    public <T> T callUntil(LongSupplier deadline, Supplier<T> call) {
        for (int retry = 0;; retry++) {
            try {
                return call.get();
            } catch (TdmqHttpException e) {
                long delay = delayBefore(Math.min(retry, 30));
                if (!e.isSafeToRetry() || System.nanoTime() + delay * 1_000_000 - deadline.getAsLong() >= 0
                    || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                waitBeforeRetry(e, retry, delay);
            }
        }
    }

    /** Logs the retry, counts it, and waits; an interrupt ends the retries with the failure that caused them. */
    private void waitBeforeRetry(TdmqHttpException failure, int retry, long delay) {
        LOG.debug("{} on topic {} failed with {} (request id {}); retry {} in {} ms", failure.getAction(),
                failure.getTopic(), failure.getErrorCode(), failure.getRequestId(), retry + 1, delay);
        onRetry.run();
        try {
            Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private static void requireInRange(String option, Object value, boolean inRange, String range) {
        if (!inRange) {
            throw new IllegalArgumentException("tdmq-http: " + option + " is " + value + ", but must be " + range);
        }
    }

    /** Exponential growth, capped, then a random part of up to half taken off, so clients do not retry in step. */
    long delayBefore(int retry) {
        double grown = initialDelay * Math.pow(multiplier, retry);
        long capped = (long) Math.min(maxDelay, grown);
        long half = capped / 2;
        return capped - (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0);
    }
}
