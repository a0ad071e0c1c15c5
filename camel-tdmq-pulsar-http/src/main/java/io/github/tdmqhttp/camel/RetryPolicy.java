package io.github.tdmqhttp.camel;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a call again while it fails for a reason a retry can help, with exponential backoff and jitter, a bounded
 * number of times. The SDK's own retry() is not used: it waits a fixed second and retries everything, authentication
 * failures and sends included.
 */
final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final int maxRetries;
    private final long initialDelay;
    private final long maxDelay;
    private final double multiplier;

    RetryPolicy(int maxRetries, long initialDelay, long maxDelay, double multiplier) {
        this.maxRetries = Math.max(0, maxRetries);
        this.initialDelay = Math.max(0, initialDelay);
        this.maxDelay = Math.max(this.initialDelay, maxDelay);
        this.multiplier = Math.max(1.0, multiplier);
    }

    static RetryPolicy of(TdmqHttpConfiguration configuration) {
        return new RetryPolicy(configuration.getMaxRetries(), configuration.getRetryInitialDelay(),
                configuration.getRetryMaxDelay(), configuration.getRetryMultiplier());
    }

    /**
     * The call's result, after as many retries as the failures allow.
     *
     * @throws TdmqHttpException the last failure, when it is not retryable, the retries are used up, or the thread is
     *                           interrupted while it waits
     */
    <T> T call(Supplier<T> call) {
        for (int retry = 0;; retry++) {
            try {
                return call.get();
            } catch (TdmqHttpException e) {
                if (!e.isRetryable() || retry >= maxRetries || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                long delay = delayBefore(retry);
                LOG.debug("{} on topic {} failed with {} (request id {}); retry {} of {} in {} ms", e.getAction(),
                        e.getTopic(), e.getErrorCode(), e.getRequestId(), retry + 1, maxRetries, delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The call's result, retrying every retryable failure, however many, until the deadline (a {@link System#nanoTime()}
     * value, asked again before each retry): for calls that are safe to repeat and worth nothing after a deadline, such as an acknowledgement after
     * its message's ack timeout.
     *
     * @throws TdmqHttpException the last failure, when it is not retryable, the next try would start after the
     *                           deadline, or the thread is interrupted while it waits
     */
    <T> T callUntil(LongSupplier deadline, Supplier<T> call) {
        for (int retry = 0;; retry++) {
            try {
                return call.get();
            } catch (TdmqHttpException e) {
                long delay = delayBefore(Math.min(retry, 30));
                if (!e.isRetryable() || System.nanoTime() + delay * 1_000_000 - deadline.getAsLong() >= 0
                    || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                LOG.debug("{} on topic {} failed with {} (request id {}); retry {} in {} ms", e.getAction(),
                        e.getTopic(), e.getErrorCode(), e.getRequestId(), retry + 1, delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
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
