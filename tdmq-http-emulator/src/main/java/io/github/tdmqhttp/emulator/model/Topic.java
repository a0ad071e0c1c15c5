package io.github.tdmqhttp.emulator.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One topic: its partitions, one ordered log of every message in publish order, and its subscriptions.
 *
 * <p>A partitioned topic spreads entries round-robin over its partitions; each partition has a ledger of its own and
 * numbers its entries from 0. An entry holds one message (SendMessages) or a batch of messages that the service-side
 * producer of SendBatchMessages aggregated, numbered by batch index from 0; a batch's messages are stored together,
 * when the batch is published. One lock guards the whole topic: sends and receives on one topic are short critical
 * sections; receivers wait on its condition for new messages, an acknowledgement or the next ack timeout, and
 * batched sends for their batch to be published.
 */
final class Topic implements Subscription.Log {

    private final String name;
    private final int partitions;
    private final TopicOptions options;
    private final long[] ledgers;
    private final int[] entryCounts;
    /** Per partition, the log index of each entry's first message. */
    private final IntArray[] entryFirsts;
    /** Per partition, the log index of each of its messages, in order. */
    private final IntArray[] partitionMessages;
    private final List<StoredMessage> log = new ArrayList<>();
    private final TreeMap<String, Subscription> subscriptions = new TreeMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int nextPartition;
    private boolean deleted;
    /** The batch SendBatchMessages calls join, until it is published; null when none is filling. */
    private Batch openBatch;

    private record StoredMessage(MessageId id, String payload, int utf8Bytes) {
    }

    /** An int list without boxing: the per-partition indexes grow with every message. */
    private static final class IntArray {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int get(int position) {
            return values[position];
        }

        int size() {
            return size;
        }
    }

    /** A batch being filled by SendBatchMessages calls; its ids are known once it is published. */
    private static final class Batch {
        final BatchingLimits limits;
        final long publishAtNanos;
        final List<String> payloads = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        long bytes;
        /** The id of the batch's first message, once published. */
        MessageId first;

        Batch(BatchingLimits limits, long nowNanos) {
            this.limits = limits;
            this.publishAtNanos = nowNanos + limits.maxPublishDelay().toNanos();
        }

        boolean fits(int utf8Bytes) {
            return (limits.maxMessages() == 0 || payloads.size() < limits.maxMessages())
                    && (limits.maxBytes() == 0 || payloads.isEmpty() || bytes + utf8Bytes <= limits.maxBytes());
        }

        boolean isFull() {
            return (limits.maxMessages() > 0 && payloads.size() >= limits.maxMessages())
                    || (limits.maxBytes() > 0 && bytes >= limits.maxBytes());
        }

        int add(String payload, int utf8Bytes) {
            payloads.add(payload);
            sizes.add(utf8Bytes);
            bytes += utf8Bytes;
            return payloads.size() - 1;
        }
    }

    /** @param ledgerIds hands out a fresh ledger id per call: one for each partition, one for a non-partitioned topic */
    Topic(String name, int partitions, TopicOptions options, LongSupplier ledgerIds) {
        this.name = name;
        this.partitions = partitions;
        this.options = options;
        int slots = Math.max(1, partitions);
        this.ledgers = new long[slots];
        this.entryCounts = new int[slots];
        this.entryFirsts = new IntArray[slots];
        this.partitionMessages = new IntArray[slots];
        for (int slot = 0; slot < slots; slot++) {
            ledgers[slot] = ledgerIds.getAsLong();
            entryFirsts[slot] = new IntArray();
            partitionMessages[slot] = new IntArray();
        }
    }

    String name() {
        return name;
    }

    int partitions() {
        return partitions;
    }

    TopicOptions options() {
        return options;
    }

    /** Stores a message alone in an entry of its own (batch index -1), on the next partition in turn. */
    MessageId append(String payload, int utf8Bytes) {
        lock.lock();
        try {
            int slot = nextSlot();
            MessageId id = new MessageId(ledgers[slot], entryCounts[slot], partitionOf(slot));
            entryFirsts[slot].add(log.size());
            entryCounts[slot]++;
            store(slot, id, payload, utf8Bytes);
            changed.signalAll();
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a message to the batch the service-side producer is filling, and waits until that batch is published:
     * when it is full, when a message that does not fit arrives, or {@code limits.maxPublishDelay()} after its first
     * message. The batch keeps the limits of the call that opened it. A thread interrupted while it waits publishes the
     * batch at once (nothing is lost) and keeps its interrupt status.
     *
     * @return the message's id, with its index in the batch
     */
    MessageId appendBatched(String payload, int utf8Bytes, BatchingLimits limits) {
        lock.lock();
        try {
            long now = System.nanoTime();
            Batch batch = openBatch;
            if (batch != null && (now - batch.publishAtNanos >= 0 || !batch.fits(utf8Bytes))) {
                publish(batch);
                batch = null;
            }
            if (batch == null) {
                batch = new Batch(limits, now);
                openBatch = batch;
            }
            int batchIndex = batch.add(payload, utf8Bytes);
            if (batch.isFull()) {
                publish(batch);
            }
            while (batch.first == null) {
                long remaining = batch.publishAtNanos - System.nanoTime();
                if (remaining <= 0) {
                    publish(batch);
                    break;
                }
                try {
                    changed.awaitNanos(remaining);
                } catch (InterruptedException stopping) {
                    publish(batch);
                    Thread.currentThread().interrupt();
                }
            }
            MessageId first = batch.first;
            return new MessageId(first.ledger(), first.entry(), first.partition(), batchIndex);
        } finally {
            lock.unlock();
        }
    }

    /** Stores the batch as one entry, its messages with batch indexes 0, 1, 2..., and wakes its callers. */
    private void publish(Batch batch) {
        if (batch.first != null) {
            return;
        }
        if (openBatch == batch) {
            openBatch = null;
        }
        int slot = nextSlot();
        long entry = entryCounts[slot]++;
        entryFirsts[slot].add(log.size());
        for (int index = 0; index < batch.payloads.size(); index++) {
            MessageId id = new MessageId(ledgers[slot], entry, partitionOf(slot), index);
            store(slot, id, batch.payloads.get(index), batch.sizes.get(index));
            if (index == 0) {
                batch.first = id;
            }
        }
        changed.signalAll();
    }

    private int nextSlot() {
        int slot = partitions == 0 ? 0 : nextPartition++ % partitions;
        if (nextPartition == Integer.MAX_VALUE) {
            nextPartition = 0;
        }
        return slot;
    }

    private int partitionOf(int slot) {
        return partitions == 0 ? -1 : slot;
    }

    private void store(int slot, MessageId id, String payload, int utf8Bytes) {
        partitionMessages[slot].add(log.size());
        log.add(new StoredMessage(id, payload, utf8Bytes));
    }

    @Override
    public int size() {
        return log.size();
    }

    @Override
    public int slots() {
        return ledgers.length;
    }

    @Override
    public int slotOf(int logIndex) {
        return Math.max(0, log.get(logIndex).id().partition());
    }

    @Override
    public int sizeOf(int slot) {
        return partitionMessages[slot].size();
    }

    @Override
    public int logIndexAt(int slot, int position) {
        return partitionMessages[slot].get(position);
    }

    /**
     * Takes messages for a receiver of {@code subscriptionName}, waiting as {@code limits} allow. A partition on which
     * the subscription holds {@code maxUnacknowledged} unacknowledged messages delivers nothing until some are
     * acknowledged or expire.
     *
     * @param maxUnacknowledged the limit of unacknowledged messages per partition, 0 for none
     * @return the messages, in delivery order; empty when none came in time
     * @throws InterruptedException when the receiving thread is interrupted; nothing is delivered then
     */
    List<ReceivedMessage> receive(String subscriptionName, InitialPosition position, ReceiveLimits limits,
                                  long ackTimeoutNanos, int maxUnacknowledged) throws InterruptedException {
        long deadline = System.nanoTime() + limits.maxWait().toNanos();
        List<Integer> taken = new ArrayList<>();
        lock.lock();
        try {
            Subscription subscription = subscriptions.computeIfAbsent(subscriptionName,
                    created -> new Subscription(created, this, position));
            long bytes = 0;
            boolean full = false;
            while (!deleted) {
                long now = System.nanoTime();
                subscription.expire(now, ackTimeoutNanos);
                while (taken.size() < limits.maxMessages()) {
                    int index = subscription.peekNext(maxUnacknowledged);
                    if (index < 0) {
                        break;
                    }
                    int size = log.get(index).utf8Bytes();
                    if (limits.maxBytes() > 0 && !taken.isEmpty() && bytes + size > limits.maxBytes()) {
                        full = true;
                        break;
                    }
                    subscription.reserve(index);
                    taken.add(index);
                    bytes += size;
                    if (limits.maxBytes() > 0 && bytes >= limits.maxBytes()) {
                        full = true;
                        break;
                    }
                }
                if (full || taken.size() >= limits.maxMessages()) {
                    break;
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    break;
                }
                long untilExpiry = subscription.nanosUntilNextExpiry(now, ackTimeoutNanos);
                try {
                    changed.awaitNanos(Math.min(remaining, untilExpiry));
                } catch (InterruptedException interrupted) {
                    subscription.release(taken);
                    throw interrupted;
                }
            }
            boolean[] redelivered = new boolean[taken.size()];
            subscription.deliver(taken, System.nanoTime(), redelivered);
            List<ReceivedMessage> received = new ArrayList<>(taken.size());
            for (int i = 0; i < taken.size(); i++) {
                StoredMessage message = log.get(taken.get(i));
                received.add(new ReceivedMessage(message.id(), message.payload(), redelivered[i]));
            }
            return received;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acknowledges the message {@code id} names for one subscription; one message only, never the other messages
     * of its batch entry.
     *
     * @return null when the subscription does not exist
     */
    AckOutcome acknowledge(String subscriptionName, MessageId id, long ackTimeoutNanos, int maxUnacknowledged) {
        lock.lock();
        try {
            Subscription subscription = subscriptions.get(subscriptionName);
            if (subscription == null) {
                return null;
            }
            subscription.expire(System.nanoTime(), ackTimeoutNanos);
            int index = logIndexOf(id);
            if (index < 0) {
                return AckOutcome.NOT_RECEIVED;
            }
            boolean wasBlocked = subscription.isBlocked(slotOf(index), maxUnacknowledged);
            AckOutcome outcome = subscription.acknowledge(index);
            if (wasBlocked && outcome == AckOutcome.ACKED) {
                // Receivers waiting on a blocked partition may take from it again.
                changed.signalAll();
            }
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The log index of the message {@code id} names, or -1. Three parts (batch index -1) and batch index 0 both name
     * an entry's first message: a message alone in its entry, or the first of a batch. Any other batch index names
     * that message of a batch entry only.
     */
    private int logIndexOf(MessageId id) {
        int slot = partitions == 0 ? (id.partition() == -1 ? 0 : -1) : id.partition();
        if (slot < 0 || slot >= ledgers.length || ledgers[slot] != id.ledger() || id.entry() >= entryCounts[slot]) {
            return -1;
        }
        int first = entryFirsts[slot].get((int) id.entry());
        if (id.batchIndex() <= 0) {
            return first;
        }
        int index = first + id.batchIndex();
        if (index >= log.size()) {
            return -1;
        }
        MessageId stored = log.get(index).id();
        return stored.sameEntry(id) && stored.batchIndex() == id.batchIndex() ? index : -1;
    }

    TopicStats stats(long ackTimeoutNanos, int maxUnacknowledged) {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<SubscriptionStats> subscriptionStats = new ArrayList<>(subscriptions.size());
            for (Subscription subscription : subscriptions.values()) {
                subscription.expire(now, ackTimeoutNanos);
                subscriptionStats.add(subscription.stats(name, maxUnacknowledged));
            }
            return new TopicStats(name, partitions, log.size(), subscriptionStats,
                    TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos), maxUnacknowledged);
        } finally {
            lock.unlock();
        }
    }

    /** @return null when the subscription does not exist */
    SubscriptionStats subscriptionStats(String subscriptionName, long ackTimeoutNanos, int maxUnacknowledged) {
        lock.lock();
        try {
            Subscription subscription = subscriptions.get(subscriptionName);
            if (subscription == null) {
                return null;
            }
            subscription.expire(System.nanoTime(), ackTimeoutNanos);
            return subscription.stats(name, maxUnacknowledged);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting receiver, so that it looks again (the ack timeout or the unacknowledged limit changed). */
    void wakeReceivers() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The topic was dropped: waiting receivers return what they hold. */
    void delete() {
        lock.lock();
        try {
            deleted = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
