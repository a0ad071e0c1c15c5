package io.github.tdmqhttp.emulator.model;

/**
 * A Pulsar message id: the ledger and entry that store the message and the partition it went to ({@code -1} on a
 * non-partitioned topic). The emulator stores one message per entry, so the batch index is always 0 and not kept.
 *
 * <p>The text forms the HTTP API writes ids in belong to the wire layer; {@link #toString()} is Pulsar's own
 * {@code ledger:entry:partition}, for logs and messages.
 *
 * @param ledger    the ledger id, unique per partition in this broker
 * @param entry     the entry within the ledger, counted from 0
 * @param partition the partition index, or {@code -1} for a non-partitioned topic
 */
public record MessageId(long ledger, long entry, int partition) {

    public MessageId {
        if (ledger < 0 || entry < 0 || partition < -1) {
            throw new IllegalArgumentException("not a message id: " + ledger + ":" + entry + ":" + partition);
        }
    }

    @Override
    public String toString() {
        return ledger + ":" + entry + ":" + partition;
    }
}
