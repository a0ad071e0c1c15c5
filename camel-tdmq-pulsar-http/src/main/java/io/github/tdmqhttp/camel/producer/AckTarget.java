package io.github.tdmqhttp.camel.producer;

import io.github.tdmqhttp.camel.TdmqHttpActions;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.camel.TdmqHttpReceipt;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.util.CastUtils;
import org.apache.camel.util.ObjectHelper;

/**
 * The message operation=acknowledge acknowledges: the receipt of an exchange a tdmq-http consumer received, or, when
 * the exchange lost it (as across an asynchronous boundary), the headers. Internal.
 *
 * @param messageId the id as the receive returned it
 */
public record AckTarget(String messageId, String ackTopic, String subscription) {

    /**
     * The messages to acknowledge: the one message of {@link #of} when the exchange has one (its receipt, or its
     * CamelTdmqHttpReceiptId header, as a part split from CamelTdmqHttpBatchMessages has); every message of a batch
     * exchange (exchangePerBatch), by its receipts or, when the exchange lost them, the header
     * CamelTdmqHttpReceiptIds. A part of a batch exchange that is not one message (a part of a split of the body) is
     * refused: acknowledging it would acknowledge its neighbours, processed or not.
     *
     * @throws TdmqHttpException MissingHeader, naming the header, when neither the receipts nor the headers say
     */
    public static List<AckTarget> allOf(Exchange exchange, TdmqHttpConfiguration configuration) {
        Message message = exchange.getMessage();
        List<TdmqHttpReceipt> receipts = CastUtils.cast(exchange.getProperty(TdmqHttpReceipt.BATCH_PROPERTY,
                List.class));
        List<String> receiptIds = CastUtils.cast(message.getHeader(TdmqHttpConstants.RECEIPT_IDS, List.class));
        if (exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY) != null
            || message.getHeader(TdmqHttpConstants.RECEIPT_ID) != null || receipts == null && receiptIds == null) {
            return List.of(of(exchange, configuration));
        }
        if (exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX) != null
            || exchange.getProperty(ExchangePropertyKey.MULTICAST_INDEX) != null) {
            throw TdmqHttpException.refused(TdmqHttpActions.ACKNOWLEDGE_MESSAGE, configuration.getTopic(),
                    TdmqHttpErrorCodes.MISSING_HEADER, "this exchange is a part of a batch exchange (split or"
                    + " multicast) and holds no message of its own: operation=acknowledge would acknowledge every"
                    + " message of the batch. Acknowledge the batch exchange after the split, or split the property "
                    + TdmqHttpConstants.BATCH_MESSAGES + " so that each part carries its message's "
                    + TdmqHttpConstants.RECEIPT_ID);
        }
        if (receipts != null) {
            return receipts.stream()
                    .map(receipt -> new AckTarget(receipt.messageId(), receipt.ackTopic(), receipt.subscription()))
                    .toList();
        }
        String ackTopic = required(message, TdmqHttpConstants.ACK_TOPIC, configuration);
        String subscription = subscriptionOf(message, configuration);
        return receiptIds.stream().map(id -> new AckTarget(id, ackTopic, subscription)).toList();
    }

    /**
     * @throws TdmqHttpException MissingHeader, naming the header, when neither the receipt nor the headers say
     */
    public static AckTarget of(Exchange exchange, TdmqHttpConfiguration configuration) {
        TdmqHttpReceipt receipt = exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, TdmqHttpReceipt.class);
        if (receipt != null) {
            return new AckTarget(receipt.messageId(), receipt.ackTopic(), receipt.subscription());
        }
        Message message = exchange.getMessage();
        // The id as received: a canonical id can differ from it (a batch index of 0 dropped), and whether TDMQ
        // acknowledges only that message with it is not documented.
        String receiptId = message.getHeader(TdmqHttpConstants.RECEIPT_ID, String.class);
        String messageId = ObjectHelper.isEmpty(receiptId)
                ? required(message, TdmqHttpConstants.MESSAGE_ID, configuration) : receiptId;
        String ackTopic = required(message, TdmqHttpConstants.ACK_TOPIC, configuration);
        return new AckTarget(messageId, ackTopic, subscriptionOf(message, configuration));
    }

    private static String subscriptionOf(Message message, TdmqHttpConfiguration configuration) {
        String subscription = message.getHeader(TdmqHttpConstants.SUBSCRIPTION, configuration.getSubscription(),
                String.class);
        if (ObjectHelper.isEmpty(subscription)) {
            throw missing(TdmqHttpConstants.SUBSCRIPTION, " (or set the endpoint's subscription option)", configuration);
        }
        return subscription;
    }

    private static String required(Message message, String header, TdmqHttpConfiguration configuration) {
        String value = message.getHeader(header, String.class);
        if (ObjectHelper.isEmpty(value)) {
            throw missing(header, "", configuration);
        }
        return value;
    }

    private static TdmqHttpException missing(String header, String alternative, TdmqHttpConfiguration configuration) {
        return TdmqHttpException.refused(TdmqHttpActions.ACKNOWLEDGE_MESSAGE, configuration.getTopic(),
                TdmqHttpErrorCodes.MISSING_HEADER,
                "operation=acknowledge needs the header " + header + alternative + ". A tdmq-http consumer sets it"
                + " on every exchange it receives; keep it when the route changes headers");
    }
}
