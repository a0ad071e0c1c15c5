package io.github.tdmqhttp.camel;

/**
 * Counts how many times each message has been handed to a route, for the {@code maxDeliveries} option and the
 * {@code CamelTdmqHttpDeliveryCount} header. TDMQ's HTTP API carries no redelivery count, so the consumer keeps its
 * own. The default, {@link TdmqHttpMemoryDeliveryCountStore}, counts in this application's memory; when several
 * applications share a subscription, a store backed by something they share (a database, a cache) counts every
 * delivery of a message wherever it happened.
 * <p>
 * Messages are named by their canonical id ({@link TdmqHttpMessageId}), the same whatever receive brought them.
 * Implementations must be safe for concurrent use. A store that forgets a count (evicts it, restarts) only lets a
 * message be tried more often than maxDeliveries; it never sends one to the dead letter topic early.
 */
public interface TdmqHttpDeliveryCountStore {

    /**
     * Records one more delivery of a message to the route.
     *
     * @return the deliveries of this message so far, this one included (1 on the first delivery)
     */
    int delivered(String topic, String subscription, String messageId);

    /** Forgets a message once it is acknowledged: it will not be delivered again. */
    void settled(String topic, String subscription, String messageId);

    /**
     * Records that a message was moved to the dead letter topic, until {@link #settled} forgets it: when the
     * acknowledgement after the move fails, TDMQ delivers the message again, and the consumer then acknowledges it
     * without processing or moving it a second time. A store shared by several applications keeps this mark where
     * they all see it. The default keeps nothing: a message whose acknowledgement failed after the move is moved again.
     */
    default void deadLettered(String topic, String subscription, String messageId) {
    }

    /** Whether {@link #deadLettered} was recorded for a message not yet settled. */
    default boolean isDeadLettered(String topic, String subscription, String messageId) {
        return false;
    }
}
