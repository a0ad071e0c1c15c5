package io.github.tdmqhttp.emulator.model;

import java.time.Duration;

/**
 * What the service lets a topic set for itself on CreateTopic and ModifyTopic, where the emulator models it: the
 * ack timeout ({@code AckTimeOut}) and the limit of unacknowledged messages per subscription and partition
 * ({@code UnackPolicy}). A null component means the broker's default, which can change while the emulator runs.
 *
 * @param ackTimeout                how long a delivered message of this topic may stay unacknowledged before it is
 *                                  delivered again; positive. The service takes 60 s to 86,400 s; the emulator takes
 *                                  any positive time, so that tests need not wait a minute
 * @param maxUnacknowledgedMessages the most unacknowledged messages a subscription may hold on one partition of this
 *                                  topic before delivery stops on that partition; 0 for no limit
 */
public record TopicOptions(Duration ackTimeout, Integer maxUnacknowledgedMessages) {

    /** Every setting from the broker's defaults. */
    public static final TopicOptions DEFAULTS = new TopicOptions(null, null);

    public TopicOptions {
        if (ackTimeout != null && (ackTimeout.isNegative() || ackTimeout.isZero())) {
            throw new IllegalArgumentException("ackTimeout must be positive, was " + ackTimeout);
        }
        if (maxUnacknowledgedMessages != null && maxUnacknowledgedMessages < 0) {
            throw new IllegalArgumentException("maxUnacknowledgedMessages must not be negative, was "
                    + maxUnacknowledgedMessages);
        }
    }

    /** These options with the topic's own ack timeout. */
    public TopicOptions withAckTimeout(Duration ackTimeout) {
        return new TopicOptions(ackTimeout, maxUnacknowledgedMessages);
    }

    /** These options with the topic's own limit of unacknowledged messages per subscription and partition. */
    public TopicOptions withMaxUnacknowledgedMessages(int maxUnacknowledgedMessages) {
        return new TopicOptions(ackTimeout, maxUnacknowledgedMessages);
    }
}
