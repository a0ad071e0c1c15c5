package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpReceipt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * exchangePerBatch=true: turns the exchanges made for the messages of one receive into one exchange, whose outcome
 * settles every message (acknowledged on success; on failure each counts a failed delivery, and goes to the dead
 * letter topic after maxDeliveries). Internal.
 */
public final class BatchExchanges {

    private BatchExchanges() {
    }

    /**
     * Takes out of {@code messages} those whose payload could not be decoded (their exchange carries the failure):
     * each goes to the route alone, as with one exchange per message, so that it cannot fail its whole batch.
     *
     * @return the exchanges taken out, in order
     */
    public static List<Exchange> takeUndecodable(List<Exchange> messages) {
        List<Exchange> undecodable = new ArrayList<>();
        messages.removeIf(exchange -> exchange.getException() != null && undecodable.add(exchange));
        return undecodable;
    }

    /**
     * Fills {@code batch} with the messages: their bodies as a List, their ids, receipt ids and delivery counts as list
     * headers (CamelTdmqHttpDeliveryCount is the highest), copies of the messages with their own headers as the
     * property {@value TdmqHttpConstants#BATCH_MESSAGES}, their receipts as {@value TdmqHttpReceipt#BATCH_PROPERTY}.
     *
     * @param messages the exchanges the receive made, one per message, in order; not empty
     * @return {@code batch}
     */
    public static Exchange of(Exchange batch, List<Exchange> messages, Settler settler) {
        int size = messages.size();
        List<Object> bodies = new ArrayList<>(size);
        List<Message> copies = new ArrayList<>(size);
        List<String> ids = new ArrayList<>(size);
        List<String> receiptIds = new ArrayList<>(size);
        List<Integer> deliveryCounts = new ArrayList<>(size);
        List<TdmqHttpReceipt> receipts = new ArrayList<>(size);
        int mostDeliveries = 0;
        for (Exchange exchange : messages) {
            Message message = exchange.getIn();
            Delivery delivery = Delivery.of(exchange);
            int deliveries = delivery != null ? settler.delivering(batch, message, delivery) : 1;
            mostDeliveries = Math.max(mostDeliveries, deliveries);
            bodies.add(message.getBody());
            // A copy: the exchange it came from goes back to Camel's exchange factory.
            copies.add(message.copy());
            ids.add(message.getHeader(TdmqHttpConstants.MESSAGE_ID, String.class));
            receiptIds.add(message.getHeader(TdmqHttpConstants.RECEIPT_ID, String.class));
            deliveryCounts.add(deliveries);
            TdmqHttpReceipt receipt = exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, TdmqHttpReceipt.class);
            if (receipt != null) {
                receipts.add(receipt);
            }
        }
        Message first = messages.get(0).getIn();
        Message message = batch.getIn();
        message.setBody(bodies);
        for (String shared : List.of(TdmqHttpConstants.TOPIC, TdmqHttpConstants.ACK_TOPIC,
                TdmqHttpConstants.SUBSCRIPTION, TdmqHttpConstants.REQUEST_ID)) {
            message.setHeader(shared, first.getHeader(shared));
        }
        message.setHeader(TdmqHttpConstants.MESSAGE_IDS, Collections.unmodifiableList(ids));
        message.setHeader(TdmqHttpConstants.RECEIPT_IDS, Collections.unmodifiableList(receiptIds));
        message.setHeader(TdmqHttpConstants.DELIVERY_COUNTS, Collections.unmodifiableList(deliveryCounts));
        message.setHeader(TdmqHttpConstants.DELIVERY_COUNT, mostDeliveries);
        batch.setProperty(TdmqHttpConstants.BATCH_MESSAGES, Collections.unmodifiableList(copies));
        batch.setProperty(TdmqHttpReceipt.BATCH_PROPERTY, Collections.unmodifiableList(receipts));
        return batch;
    }
}
