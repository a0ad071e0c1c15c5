package io.github.tdmqhttp.camel;

import org.apache.camel.spi.Metadata;

/**
 * The headers the tdmq-http component reads and writes. TDMQ's HTTP API carries only a payload and ids: there are no
 * message properties, keys or event times to map. With messageFormat=CLOUDEVENTS the payload is a CloudEvent that
 * carries headers, an idempotency key and a content type across the topic.
 */
public final class TdmqHttpConstants {

    @Metadata(description = "Consumer: the id of the received message, in its canonical form (the same however the"
                            + " message was received). Producer: the id TDMQ gave the sent message, in the same form"
                            + " (not set for a collection body, see CamelTdmqHttpMessageIds). Acknowledge operation:"
                            + " the id of the message to acknowledge when CamelTdmqHttpReceiptId is absent.",
              javaType = "String", important = true)
    public static final String MESSAGE_ID = "CamelTdmqHttpMessageId";

    @Metadata(description = "Producer: the ids TDMQ gave the messages of a collection body, in the order of its"
                            + " elements. Consumer with exchangePerBatch=true: the ids of the batch's messages, in the"
                            + " order of the body's elements. Both in the canonical form of CamelTdmqHttpMessageId.",
              javaType = "java.util.List<String>")
    public static final String MESSAGE_IDS = "CamelTdmqHttpMessageIds";

    @Metadata(description = "Consumer: the id of the received message exactly as ReceiveMessage returned it, the form"
                            + " AcknowledgeMessage needs. Acknowledge operation: the id of the message to acknowledge;"
                            + " keep it when the route rebuilds headers, as an exchange that crossed an asynchronous"
                            + " boundary has no receipt left.",
              javaType = "String")
    public static final String RECEIPT_ID = "CamelTdmqHttpReceiptId";

    @Metadata(description = "The topic the message was received from, or sent to.", javaType = "String")
    public static final String TOPIC = "CamelTdmqHttpTopic";

    @Metadata(label = "producer",
              description = "Sends this one message to the given topic (cluster/namespace/topic) instead of the"
                            + " endpoint's. The producer removes the header once used, so it does not leak into a"
                            + " later tdmq-http endpoint of the same route.",
              javaType = "String")
    public static final String OVERRIDE_TOPIC = "CamelTdmqHttpOverrideTopic";

    @Metadata(description = "Consumer: the AckTopic ReceiveMessage returned, needed to acknowledge the message."
                            + " Acknowledge operation: the AckTopic to acknowledge on.",
              javaType = "String")
    public static final String ACK_TOPIC = "CamelTdmqHttpAckTopic";

    @Metadata(description = "Consumer: the subscription (SubName) that received the message. Acknowledge operation:"
                            + " the subscription to acknowledge on; defaults to the endpoint's subscription.",
              javaType = "String")
    public static final String SUBSCRIPTION = "CamelTdmqHttpSubscription";

    @Metadata(description = "The RequestId of the API call that received, sent or acknowledged the message; quote it"
                            + " to Tencent Cloud support.",
              javaType = "String")
    public static final String REQUEST_ID = "CamelTdmqHttpRequestId";

    @Metadata(label = "consumer",
              description = "How many times this message has been handed to the route, this delivery included: 1 the"
                            + " first time. Counted by the consumer (see the deliveryCountStore option), as TDMQ's HTTP"
                            + " API carries no redelivery count.",
              javaType = "int")
    public static final String DELIVERY_COUNT = "CamelTdmqHttpDeliveryCount";

    @Metadata(label = "producer",
              description = "Overrides the endpoint's operation for this exchange.",
              javaType = "io.github.tdmqhttp.camel.TdmqHttpOperation", enums = "send,acknowledge")
    public static final String OPERATION = "CamelTdmqHttpOperation";

    @Metadata(label = "consumer",
              description = "Consumer with exchangePerBatch=true: the ids of the batch's messages exactly as"
                            + " ReceiveMessage returned them, in the order of the body's elements; operation=acknowledge"
                            + " acknowledges them all.",
              javaType = "java.util.List<String>")
    public static final String RECEIPT_IDS = "CamelTdmqHttpReceiptIds";

    @Metadata(description = "With messageFormat=CLOUDEVENTS, the message's idempotency key (the CloudEvent id). Producer:"
                            + " the key to send; without it each message gets a key of its own, kept when the send or"
                            + " the exchange is tried again, and an element of a collection body gets the key with"
                            + " -index appended. Consumer: the key as received, the same for a message sent twice (a"
                            + " send repeated after a lost answer): an idempotentConsumer on it drops duplicate sends.",
              javaType = "String")
    public static final String IDEMPOTENCY_KEY = "CamelTdmqHttpIdempotencyKey";

    @Metadata(description = "With messageFormat=CLOUDEVENTS, the CloudEvent type. Producer: the type to send"
                            + " (default io.github.tdmqhttp.message). Consumer: the type as received.",
              javaType = "String")
    public static final String EVENT_TYPE = "CamelTdmqHttpEventType";

    @Metadata(description = "With messageFormat=CLOUDEVENTS, the CloudEvent source. Producer: the source to send"
                            + " (default camel:<CamelContext name>). Consumer: the source as received.",
              javaType = "String")
    public static final String EVENT_SOURCE = "CamelTdmqHttpEventSource";

    @Metadata(label = "consumer",
              description = "Consumer with exchangePerBatch=true: the delivery count of each message of the batch, in"
                            + " the order of the body's elements.",
              javaType = "java.util.List<Integer>")
    public static final String DELIVERY_COUNTS = "CamelTdmqHttpDeliveryCounts";

    /**
     * Consumer with exchangePerBatch=true: an exchange property holding the batch's messages as Camel messages, each
     * with its own headers (ids, delivery count, the envelope's headers), in the order of the body's elements.
     */
    public static final String BATCH_MESSAGES = "CamelTdmqHttpBatchMessages";

    private TdmqHttpConstants() {
    }
}
