package io.github.tdmqhttp.emulator.wire;

import io.github.tdmqhttp.emulator.model.MessageId;
import java.util.Optional;

/**
 * The text forms the HTTP API writes message ids in. The API reference shows SendMessages answering
 * {@code ledger:entry:partition:batchIndex} ({@code 71:11:0:0}), a single-message ReceiveMessage
 * {@code ledger:entry:partition} ({@code 931087:81:0}) and a batch receive the four-part form in MessageIDList
 * ({@code 71:12:0:0###71:13:0:0}); the ID rules page (product doc 1110/42921) gives the batch index, -1 for a message
 * that is not batched.
 *
 * <ul>
 *   <li>A message stored alone in its entry keeps the forms the reference shows: four parts with batch index 0 where
 *       four are written (the send's answer, a batch receive), three parts from a single receive.</li>
 *   <li>A message of a batch entry (SendBatchMessages, aggregated by the service) has its batch index in every form,
 *       {@code ledger:entry:partition:batchIndex}, 0 included: three parts would name the entry, not the message.</li>
 * </ul>
 *
 * AcknowledgeMessage takes every form it hands out; see {@link #parse}.
 */
public final class MessageIdText {

    private MessageIdText() {
    }

    /** What SendMessages and SendBatchMessages answer: four parts, the batch index or 0 for a message alone. */
    public static String sent(MessageId id) {
        return fourParts(id);
    }

    /** What a single-message ReceiveMessage answers: three parts for a message alone, else four. */
    static String receivedAlone(MessageId id) {
        return id.isBatched() ? fourParts(id) : id.ledger() + ":" + id.entry() + ":" + id.partition();
    }

    /** What a batch receive answers for each message: four parts, the batch index or 0 for a message alone. */
    static String receivedInBatch(MessageId id) {
        return fourParts(id);
    }

    private static String fourParts(MessageId id) {
        return id.ledger() + ":" + id.entry() + ":" + id.partition() + ":" + Math.max(0, id.batchIndex());
    }

    /**
     * Reads {@code ledger:entry:partition} (batch index -1) or {@code ledger:entry:partition:batchIndex} (batch index
     * -1 or more). The broker takes three parts, batch index -1 and batch index 0 alike as an entry's first message,
     * so every form of a message alone in its entry, and of the first message of a batch, acknowledges it.
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
            int batchIndex = parts.length == 4 ? Integer.parseInt(parts[3]) : -1;
            if (ledger < 0 || entry < 0 || partition < -1 || batchIndex < -1) {
                return Optional.empty();
            }
            return Optional.of(new MessageId(ledger, entry, partition, batchIndex));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
