package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpReceipt;

/**
 * What the consumer keeps of a received message for after its exchange: the receipt to acknowledge it, its canonical
 * id (the key of its delivery count), the payload as received (for the dead letter topic) and when it was received
 * (its ack deadline follows). Work queued to settle a message keeps everything but the payload. Internal.
 *
 * @param receivedAt when the receive that brought it started (System.nanoTime)
 */
public record Delivery(TdmqHttpReceipt receipt, String messageId, String payload, long receivedAt) {

    /** The exchange property that holds it. */
    public static final String EXCHANGE_PROPERTY = "CamelTdmqHttpDelivery";
}
