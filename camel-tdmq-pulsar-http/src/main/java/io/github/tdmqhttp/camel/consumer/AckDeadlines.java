package io.github.tdmqhttp.camel.consumer;

import java.util.concurrent.TimeUnit;

/**
 * The ack deadline of a received message, and what fits before it. Until its ack timeout TDMQ gives a received
 * message to no one else; the consumer starts an exchange only while the exchange and its acknowledgement can end
 * before then, keeping a margin at the end for the acknowledgement to travel. A stop, or Camel's shutdown strategy
 * waiting for the consumer, brings the deadline of acknowledgements closer: an outage does not hold a stop for a whole
 * ack timeout. Thread-safe; the average length of an exchange is approximate when pollers update it at once (an update
 * may be lost, which only delays how soon the average follows). Internal.
 */
public final class AckDeadlines {

    /** Part of the ack timeout kept free at the end of a deadline for the acknowledgement to travel, at most 1 s. */
    private static final int MARGIN_DIVISOR = 10;
    private static final long MAX_MARGIN = TimeUnit.SECONDS.toNanos(1);
    /** How long acknowledgements keep retrying once the consumer stops: a stop does not wait out an outage. */
    private static final long STOPPING_RETRIES = TimeUnit.SECONDS.toNanos(5);

    private final long ackTimeout;
    private final long margin;
    /** A moving average of how long an exchange takes, to tell whether the next one still fits before a deadline. */
    private volatile long exchangeNanos;
    /** When the consumer began to stop (System.nanoTime), while it stops. */
    private volatile Long stoppingSince;
    /** When Camel's shutdown strategy began to wait for the consumer (System.nanoTime). */
    private volatile Long shutdownSince;

    public AckDeadlines(long ackTimeoutMillis) {
        this.ackTimeout = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
        this.margin = Math.min(MAX_MARGIN, ackTimeout / MARGIN_DIVISOR);
    }

    /** The ack timeout, in nanoseconds. */
    public long ackTimeout() {
        return ackTimeout;
    }

    /** The consumer starts (again): a previous stop no longer shortens anything. */
    public void started() {
        stoppingSince = null;
        shutdownSince = null;
    }

    public void stopping() {
        stoppingSince = System.nanoTime();
    }

    public boolean isStopping() {
        return stoppingSince != null;
    }

    /** Camel's shutdown strategy now waits for the consumer's pending exchanges, acknowledgements included. */
    public void shutdownWaits() {
        if (shutdownSince == null) {
            shutdownSince = System.nanoTime();
        }
    }

    /** A suspension the shutdown strategy waited for is over: acknowledgements retry as long as they may again. */
    public void resumed() {
        shutdownSince = null;
    }

    /** Until when (System.nanoTime) a message received at {@code receivedAt} may be acknowledged. */
    public long ackDeadline(long receivedAt) {
        long deadline = receivedAt + ackTimeout;
        Long stopping = shutdownSince != null ? shutdownSince : stoppingSince;
        return stopping != null && stopping + STOPPING_RETRIES - deadline < 0 ? stopping + STOPPING_RETRIES : deadline;
    }

    /**
     * Until when a call whose answer must come before the ack deadline, and an acknowledgement after it, may start: a
     * dead letter send.
     */
    public long lastStartBeforeAck(long receivedAt, long roundTripNanos) {
        return ackDeadline(receivedAt) - margin - 2 * roundTripNanos;
    }

    /** Whether the ack deadline is too close for anything but an acknowledgement already on its way. */
    public boolean isPast(long receivedAt) {
        return System.nanoTime() + margin - ackDeadline(receivedAt) >= 0;
    }

    /**
     * Whether an exchange started now would likely end, and its acknowledgement be sent, after TDMQ has given the
     * message to someone else. The acknowledgement's wait counts: behind the limiter of a quota that other consumers
     * share, it can be longer than the exchange.
     */
    public boolean isTooCloseForAnExchange(long receivedAt, long ackWaitNanos) {
        long needed = exchangeNanos + margin + ackWaitNanos;
        return System.nanoTime() + needed - (receivedAt + ackTimeout) >= 0;
    }

    /** How many exchanges of a batch received at {@code receivedAt} can still finish before its deadline, in turn. */
    public int fittingBefore(int total, long receivedAt, long ackWaitNanos) {
        return fitting(total, receivedAt + ackTimeout - margin - ackWaitNanos - System.nanoTime(), exchangeNanos);
    }

    /**
     * How many of {@code total} exchanges of {@code eachNanos} each end within {@code leftNanos}: all while the
     * duration of an exchange is not known yet (0), none when no time is left.
     */
    public static int fitting(int total, long leftNanos, long eachNanos) {
        if (leftNanos <= 0) {
            return 0;
        }
        return eachNanos <= 0 ? total : (int) Math.min(total, leftNanos / eachNanos);
    }

    /** An exchange took this long: the average moves a quarter of the way towards it. */
    public void exchangeTook(long nanos) {
        long average = exchangeNanos;
        exchangeNanos = average == 0 ? nanos : average + (nanos - average) / 4;
    }
}
