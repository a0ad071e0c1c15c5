package io.github.tdmqhttp.emulator.model;

import java.time.Duration;

/**
 * When the service-side producer of SendBatchMessages publishes the batch it is filling: at {@code maxMessages}
 * messages, at {@code maxBytes} payload bytes, or {@code maxPublishDelay} after the batch's first message, whichever
 * comes first (the request's BatchingMaxMessages, BatchingMaxBytes and BatchingMaxPublishDelay).
 *
 * @param maxMessages     the most messages in one batch; 0 for no count limit (as in Pulsar)
 * @param maxBytes        the most payload bytes (UTF-8) in one batch; 0 for no size limit. A message larger than the
 *                        limit still goes, alone
 * @param maxPublishDelay how long a batch waits for more messages after its first; zero publishes at once
 */
public record BatchingLimits(int maxMessages, long maxBytes, Duration maxPublishDelay) {

    /** The longest a batch waits, whatever BatchingMaxPublishDelay asks: every call of the batch waits that long. */
    public static final Duration MAX_PUBLISH_DELAY = Duration.ofSeconds(10);

    /** The reference's defaults: 1000 messages, 128 KB, 10 ms. (After MAX_PUBLISH_DELAY, which its check reads.) */
    public static final BatchingLimits DEFAULTS = new BatchingLimits(1000, 128 * 1024, Duration.ofMillis(10));

    public BatchingLimits {
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxMessages must not be negative, was " + maxMessages);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        }
        if (maxPublishDelay == null || maxPublishDelay.isNegative()) {
            throw new IllegalArgumentException("maxPublishDelay must not be negative, was " + maxPublishDelay);
        }
        if (maxPublishDelay.compareTo(MAX_PUBLISH_DELAY) > 0) {
            maxPublishDelay = MAX_PUBLISH_DELAY;
        }
    }
}
