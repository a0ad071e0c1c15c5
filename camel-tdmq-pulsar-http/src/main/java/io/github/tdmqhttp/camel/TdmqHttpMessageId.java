package io.github.tdmqhttp.camel;

/**
 * The one form of a message id that the component hands to routes, whatever call brought the message.
 * <p>
 * TDMQ writes a Pulsar message id as {@code ledger:entry:partition:batchIndex} (product doc 1110/42921), with a batch
 * index of -1 for a message stored alone in its entry; but a single-message ReceiveMessage answers with three parts
 * ({@code 931087:81:0}, the API reference's example) where a batch receive of the same message answers with four
 * ({@code 71:12:0:0}). The canonical form is Pulsar's own text form: three parts for a message that is alone in its
 * entry or first in it (batch index -1 or 0), four parts for any other message of a batch entry. An entry holds
 * either one message with batch index -1 or a batch indexed from 0, never both, so this never takes two messages
 * for one: {@code 71:12:0:1} and {@code 71:12:0:2}, two messages that SendBatchMessages merged into one entry, keep
 * their own ids.
 * <p>
 * The consumer sets {@code CamelTdmqHttpMessageId} and Camel's message id to this form, so an idempotent consumer
 * keyed on either recognises a redelivery however it arrived. Acknowledgements still send the id exactly as the
 * receive returned it (the {@link TdmqHttpReceipt}).
 */
public final class TdmqHttpMessageId {

    private TdmqHttpMessageId() {
    }

    /**
     * The canonical form of a message id as TDMQ wrote it: a trailing batch index of 0 or -1 after three parts is
     * dropped; any other text is returned as it is.
     */
    public static String canonical(String messageId) {
        if (messageId == null || !(messageId.endsWith(":0") || messageId.endsWith(":-1"))) {
            return messageId;
        }
        int colons = 0;
        for (int i = 0; i < messageId.length(); i++) {
            colons += messageId.charAt(i) == ':' ? 1 : 0;
        }
        return colons == 3 ? messageId.substring(0, messageId.lastIndexOf(':')) : messageId;
    }
}
