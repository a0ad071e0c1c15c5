package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpReceipt;

import org.apache.camel.Exchange;

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

    /** The delivery an exchange carries; null for an exchange that no receive of the consumer made. */
    public static Delivery of(Exchange exchange) {
        return exchange.getProperty(EXCHANGE_PROPERTY, Delivery.class);
    }

    /** When the exchange's message was received (System.nanoTime); now for an exchange no receive made. */
    public static long receivedAt(Exchange exchange) {
        Delivery delivery = of(exchange);
        return delivery != null ? delivery.receivedAt() : System.nanoTime();
    }
}
