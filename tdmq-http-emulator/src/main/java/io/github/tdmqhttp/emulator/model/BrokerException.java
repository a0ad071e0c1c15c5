package io.github.tdmqhttp.emulator.model;

/**
 * A request the broker model refuses, with the {@link Reason} the protocol layer turns into an error code.
 */
public final class BrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the broker refused. */
    public enum Reason {
        /** The topic is not of the form {@code tenant/namespace/topic}. */
        INVALID_TOPIC_NAME,
        /** The topic does not exist and topics are not created on first use. */
        TOPIC_NOT_FOUND,
        /** No declared topic has the tenant (the cluster id) of the topic asked for, and topics are not auto-created. */
        TENANT_NOT_FOUND,
        /** ReceiveMessage on a non-partitioned topic: the HTTP API only receives from partitioned topics. */
        TOPIC_NOT_PARTITIONED,
        /** The subscription has never received from this topic. */
        SUBSCRIPTION_NOT_FOUND,
        /** The payload is larger than {@link Broker#MAX_PAYLOAD_BYTES}. */
        MESSAGE_TOO_LARGE,
        /** A topic exists already with another number of partitions. */
        TOPIC_EXISTS
    }

    private final Reason reason;

    BrokerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the broker refused. */
    public Reason reason() {
        return reason;
    }
}
