package io.github.tdmqhttp.camel;

import org.apache.camel.spi.Metadata;

/**
 * The headers the tdmq-http component reads and writes. TDMQ's HTTP API carries only a payload and ids: there are no
 * message properties, keys or event times to map.
 */
public final class TdmqHttpConstants {

    @Metadata(description = "Consumer: the id of the received message, in its canonical form (the same however the"
                            + " message was received). Producer: the id TDMQ gave the sent message, in the same form"
                            + " (not set for a collection body, see CamelTdmqHttpMessageIds). Acknowledge operation:"
                            + " the id of the message to acknowledge when CamelTdmqHttpReceiptId is absent.",
              javaType = "String", important = true)
    public static final String MESSAGE_ID = "CamelTdmqHttpMessageId";

    @Metadata(label = "producer",
              description = "The ids TDMQ gave the messages of a collection body, in the order of its elements, in"
                            + " the canonical form of CamelTdmqHttpMessageId.",
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

    private TdmqHttpConstants() {
    }
}
