package io.github.tdmqhttp.emulator.wire;

import io.github.tdmqhttp.emulator.model.MessageId;
import java.util.Optional;

/**
 * The text forms the HTTP API writes message ids in, as its reference shows them: SendMessages answers
 * {@code ledger:entry:partition:batchIndex} ({@code 71:11:0:0}), a single-message ReceiveMessage
 * {@code ledger:entry:partition} ({@code 931087:81:0}), a batch receive the four-part form in MessageIDList
 * ({@code 71:12:0:0###71:13:0:0}). AcknowledgeMessage takes either form.
 */
public final class MessageIdText {

    private MessageIdText() {
    }

    /** {@code ledger:entry:partition:0}, what SendMessages answers; the emulator never batches, so index 0. */
    public static String sent(MessageId id) {
        return id + ":0";
    }

    /** {@code ledger:entry:partition}, what a single-message ReceiveMessage answers. */
    static String receivedAlone(MessageId id) {
        return id.toString();
    }

    /** {@code ledger:entry:partition:0}, what a batch receive answers for each message. */
    static String receivedInBatch(MessageId id) {
        return id + ":0";
    }

    /**
     * Reads {@code ledger:entry:partition} or {@code ledger:entry:partition:batchIndex}.
     *
     * @return the id, or empty when the text is of neither form
     */
    static Optional<MessageId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 3 && parts.length != 4) {
            return Optional.empty();
        }
        try {
            long ledger = Long.parseLong(parts[0]);
            long entry = Long.parseLong(parts[1]);
            int partition = Integer.parseInt(parts[2]);
            // The batch index is checked for form only: the emulator stores one message per entry.
            if (parts.length == 4) {
                Integer.parseInt(parts[3]);
            }
            if (ledger < 0 || entry < 0 || partition < -1) {
                return Optional.empty();
            }
            return Optional.of(new MessageId(ledger, entry, partition));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
