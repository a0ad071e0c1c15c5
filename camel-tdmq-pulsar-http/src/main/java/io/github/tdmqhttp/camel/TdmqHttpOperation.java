package io.github.tdmqhttp.camel;

/**
 * What a tdmq-http producer does with an exchange.
 */
public enum TdmqHttpOperation {
    /** Send the body as a message (SendMessages, or SendBatchMessages when batching is on). */
    send,
    /** Acknowledge the message named by the id, ack topic and subscription headers (AcknowledgeMessage). */
    acknowledge
}
