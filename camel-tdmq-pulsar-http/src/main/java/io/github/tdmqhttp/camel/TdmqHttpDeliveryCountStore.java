package io.github.tdmqhttp.camel;

/**
 * Counts how many times each message has been handed to a route, for the {@code maxDeliveries} option and the
 * {@code CamelTdmqHttpDeliveryCount} header. TDMQ's HTTP API carries no redelivery count, so the consumer keeps its
 * own. The default, {@link TdmqHttpMemoryDeliveryCountStore}, counts in this application's memory; when several
 * applications share a subscription, a store backed by something they share (a database, a cache) counts every
 * delivery of a message wherever it happened.
 * <p>
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
}
