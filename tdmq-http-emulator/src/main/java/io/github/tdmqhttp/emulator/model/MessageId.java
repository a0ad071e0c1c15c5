package io.github.tdmqhttp.emulator.model;

import java.util.Optional;

/**
 * A Pulsar message id: the ledger and entry that store the message and the partition it went to ({@code -1} on a
 * non-partitioned topic).
 *
 * <p>The HTTP API writes it in two forms: SendMessages answers {@code ledger:entry:partition:batchIndex}
 * (e.g. {@code 71:11:0:0}), ReceiveMessage answers {@code ledger:entry:partition} (e.g. {@code 931087:81:0}).
 * AcknowledgeMessage takes either.
 *
 * @param ledger    the ledger id, unique per partition in this broker
 * @param entry     the entry within the ledger, counted from 0
 * @param partition the partition index, or {@code -1} for a non-partitioned topic
 */
public record MessageId(long ledger, long entry, int partition) {

    /** The four-part form SendMessages answers; the emulator never batches, so the batch index is 0. */
    public String toSendForm() {
        return ledger + ":" + entry + ":" + partition + ":0";
    }

    /** The three-part form ReceiveMessage answers. */
    public String toReceiveForm() {
        return ledger + ":" + entry + ":" + partition;
    }

    @Override
    public String toString() {
        return toReceiveForm();
    }

    /**
     * Reads {@code ledger:entry:partition} or {@code ledger:entry:partition:batchIndex}.
     *
     * @return the id, or empty when the text is not of either form
     */
    public static Optional<MessageId> parse(String text) {
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
            if (parts.length == 4) {
                // The batch index is checked for form only: the emulator stores one message per entry.
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
