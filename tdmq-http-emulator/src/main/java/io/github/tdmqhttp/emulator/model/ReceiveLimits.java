package io.github.tdmqhttp.emulator.model;

import java.time.Duration;

/**
 * When a receive is complete: at {@code maxMessages} messages, at {@code maxBytes} payload bytes (a single larger
 * message still goes alone), or when {@code maxWait} has passed, whichever comes first.
 *
 * @param maxMessages the most messages to hand over, at least 1
 * @param maxBytes    the most payload bytes (UTF-8) to hand over, 0 for no limit
 * @param maxWait     how long to wait for messages; a receive with at least one message and no reached limit
 *                    still waits this long for more, as Pulsar's batch receive does
 */
public record ReceiveLimits(int maxMessages, long maxBytes, Duration maxWait) {

    public ReceiveLimits {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, was " + maxMessages);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
    }

    /** One message, waiting up to {@code maxWait} for it. */
    public static ReceiveLimits single(Duration maxWait) {
        return new ReceiveLimits(1, 0, maxWait);
    }
}
