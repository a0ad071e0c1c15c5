package io.github.tdmqhttp.camel;

/**
 * What acknowledging a received message takes: its id, and the ack topic and subscription its receive returned. The
 * consumer puts it on each exchange as the property {@value #EXCHANGE_PROPERTY}, which a send in the same route does
 * not change (a send sets the CamelTdmqHttpMessageId header to the id of the message it sent); the acknowledge
 * operation uses it before the headers.
 *
 * @param messageId    the MessageID the receive returned
 * @param ackTopic     the AckTopic the receive returned
 * @param subscription the SubName the receive returned
 */
public record TdmqHttpReceipt(String messageId, String ackTopic, String subscription) {

    /** The exchange property the consumer sets. */
    public static final String EXCHANGE_PROPERTY = "CamelTdmqHttpReceipt";
    /** With exchangePerBatch=true: the exchange property holding the receipts of the batch's messages, a List. */
    public static final String BATCH_PROPERTY = "CamelTdmqHttpReceipts";
}
