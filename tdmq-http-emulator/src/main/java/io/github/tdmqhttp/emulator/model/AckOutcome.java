package io.github.tdmqhttp.emulator.model;

/** What an acknowledgement did. All three are successes on the wire: acknowledgements are idempotent. */
public enum AckOutcome {
    /** The message was delivered to the subscription and is now acknowledged. */
    ACKED,
    /** The message had been acknowledged before; counted as a duplicate acknowledgement. */
    ALREADY_ACKED,
    /** The subscription never received that message; nothing changed (Pulsar ignores such acks too). */
    NOT_RECEIVED
}
