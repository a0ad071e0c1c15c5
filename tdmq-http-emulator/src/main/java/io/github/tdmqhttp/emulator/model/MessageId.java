package io.github.tdmqhttp.emulator.model;

/**
 * A Pulsar message id: the ledger and entry that store the message, the partition it went to ({@code -1} on a
 * non-partitioned topic) and its index in the entry's batch ({@code -1} when the entry holds this message alone, as
 * the ID rules page, product doc 1110/42921, says). SendMessages stores one message per entry; SendBatchMessages
 * calls that the service-side producer aggregates share an entry and count batch indexes from 0.
 *
 * <p>The text forms the HTTP API writes ids in belong to the wire layer; {@link #toString()} is Pulsar's own:
 * {@code ledger:entry:partition} for a message alone in its entry, {@code ledger:entry:partition:batchIndex} for a
 * message of a batch, for logs and messages.
 *
 * @param ledger     the ledger id, unique per partition in this broker
 * @param entry      the entry within the ledger, counted from 0
 * @param partition  the partition index, or {@code -1} for a non-partitioned topic
 * @param batchIndex the index in the entry's batch, counted from 0, or {@code -1} when the message is not batched
 */
public record MessageId(long ledger, long entry, int partition, int batchIndex) {

    public MessageId {
        if (ledger < 0 || entry < 0 || partition < -1 || batchIndex < -1) {
            throw new IllegalArgumentException("not a message id: " + ledger + ":" + entry + ":" + partition + ":"
                    + batchIndex);
        }
    }

    /** The id of a message stored alone in its entry (batch index -1). */
    public MessageId(long ledger, long entry, int partition) {
        this(ledger, entry, partition, -1);
    }

    /** Whether the message is one of a batch entry (its batch index is 0 or more). */
    public boolean isBatched() {
        return batchIndex >= 0;
    }

    /** Whether {@code other} names the same entry (ledger, entry and partition), whatever the batch indexes. */
    public boolean sameEntry(MessageId other) {
        return ledger == other.ledger && entry == other.entry && partition == other.partition;
    }

    @Override
    public String toString() {
        return ledger + ":" + entry + ":" + partition + (isBatched() ? ":" + batchIndex : "");
    }
}
