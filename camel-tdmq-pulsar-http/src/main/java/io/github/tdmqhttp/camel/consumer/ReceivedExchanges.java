package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.camel.TdmqHttpMessageId;
import io.github.tdmqhttp.camel.TdmqHttpReceipt;
import io.github.tdmqhttp.camel.client.MessageCodec;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Turns the messages of a received batch into exchanges, one per message, with the component's headers. Internal. */
public final class ReceivedExchanges {

    private ReceivedExchanges() {
    }

    /**
     * One exchange per message: the decoded payload as body, the canonical id as Camel's message id and in
     * CamelTdmqHttpMessageId, the receipt (for operation=acknowledge) and the {@link Delivery} (for the settlement) as
     * properties. A payload that cannot be decoded goes to the route's error handling with its raw text, so that a
     * dead letter channel can take it instead of it coming back for ever.
     *
     * @param receivedAt  when the receive started (System.nanoTime)
     * @param codec       turns payloads into bodies (and, from an envelope, headers)
     * @param newExchange makes an empty exchange of the consumer
     */
    public static Queue<Exchange> of(TdmqHttpGateway.ReceivedBatch batch, long receivedAt,
                                     TdmqHttpConfiguration configuration, MessageCodec codec,
                                     Supplier<Exchange> newExchange) {
        Queue<Exchange> exchanges = new ArrayDeque<>(batch.messages().size());
        for (TdmqHttpGateway.Received received : batch.messages()) {
            Exchange exchange = newExchange.get();
            Message message = exchange.getIn();
            String messageId = TdmqHttpMessageId.canonical(received.messageId());
            // One id whatever call brought the message: Camel's error handler and an idempotent consumer see it.
            message.setMessageId(messageId);
            message.setHeader(TdmqHttpConstants.MESSAGE_ID, messageId);
            message.setHeader(TdmqHttpConstants.RECEIPT_ID, received.messageId());
            message.setHeader(TdmqHttpConstants.TOPIC, configuration.getTopic());
            message.setHeader(TdmqHttpConstants.ACK_TOPIC, batch.ackTopic());
            message.setHeader(TdmqHttpConstants.SUBSCRIPTION, batch.subscription());
            message.setHeader(TdmqHttpConstants.REQUEST_ID, batch.requestId());
            TdmqHttpReceipt receipt = new TdmqHttpReceipt(received.messageId(), batch.ackTopic(), batch.subscription());
            exchange.setProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, receipt);
            exchange.setProperty(Delivery.EXCHANGE_PROPERTY, new Delivery(receipt, messageId, received.payload(),
                    receivedAt));
            try {
                codec.decode(received.payload(), message, messageId);
            } catch (TdmqHttpException e) {
                message.setBody(received.payload());
                exchange.setException(e);
            }
            exchanges.add(exchange);
        }
        return exchanges;
    }
}
