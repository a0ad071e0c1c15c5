package io.github.tdmqhttp.emulator.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One topic: its partitions, one ordered log of every message in publish order, and its subscriptions.
 *
 * <p>A partitioned topic spreads messages round-robin over its partitions; each partition has a ledger of its own
 * and numbers its entries from 0, so a message id names the ledger, the entry and the partition. One lock guards the
 * whole topic: sends and receives on one topic are short critical sections, and receivers wait on its condition for
 * new messages or the next ack timeout.
 */
final class Topic {

    private final String name;
    private final int partitions;
    private final long[] ledgers;
    /** Per partition, the log index of each entry: entry {@code e} of partition {@code p} is log[entryIndex[p][e]]. */
    private final int[][] entryIndexes;
    private final int[] entryCounts;
    private final List<StoredMessage> log = new ArrayList<>();
    private final TreeMap<String, Subscription> subscriptions = new TreeMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int nextPartition;
    private boolean deleted;

    private record StoredMessage(MessageId id, String payload, int utf8Bytes) {
    }

    /** @param ledgerIds hands out a fresh ledger id per call: one for each partition, one for a non-partitioned topic */
    Topic(String name, int partitions, LongSupplier ledgerIds) {
        this.name = name;
        this.partitions = partitions;
        int logs = Math.max(1, partitions);
        this.ledgers = new long[logs];
        for (int p = 0; p < logs; p++) {
            ledgers[p] = ledgerIds.getAsLong();
        }
        this.entryIndexes = new int[logs][16];
        this.entryCounts = new int[logs];
    }

    String name() {
        return name;
    }

    int partitions() {
        return partitions;
    }

    MessageId append(String payload, int utf8Bytes) {
        lock.lock();
        try {
            int partition = partitions == 0 ? 0 : nextPartition++ % partitions;
            if (nextPartition == Integer.MAX_VALUE) {
                nextPartition = 0;
            }
            int entry = entryCounts[partition];
            if (entry == entryIndexes[partition].length) {
                entryIndexes[partition] = Arrays.copyOf(entryIndexes[partition], entry * 2);
            }
            entryIndexes[partition][entry] = log.size();
            entryCounts[partition] = entry + 1;
            MessageId id = new MessageId(ledgers[partition], entry, partitions == 0 ? -1 : partition);
            log.add(new StoredMessage(id, payload, utf8Bytes));
            changed.signalAll();
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes messages for a receiver of {@code subscriptionName}, waiting as {@code limits} allow.
     *
     * @return the messages, in delivery order; empty when none came in time
     * @throws InterruptedException when the receiving thread is interrupted; nothing is delivered then
     */
    List<ReceivedMessage> receive(String subscriptionName, InitialPosition position, ReceiveLimits limits,
                                  long ackTimeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + limits.maxWait().toNanos();
        List<Integer> taken = new ArrayList<>();
        lock.lock();
        try {
            Subscription subscription = subscriptions.computeIfAbsent(subscriptionName,
                    created -> new Subscription(created, position == InitialPosition.EARLIEST ? 0 : log.size()));
            long bytes = 0;
            boolean full = false;
            while (!deleted) {
                long now = System.nanoTime();
                subscription.expire(now, ackTimeoutNanos);
                while (taken.size() < limits.maxMessages()) {
                    int index = subscription.peekNext(log.size());
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

    /** @return null when the subscription does not exist */
    AckOutcome acknowledge(String subscriptionName, MessageId id, long ackTimeoutNanos) {
        lock.lock();
        try {
            Subscription subscription = subscriptions.get(subscriptionName);
            if (subscription == null) {
                return null;
            }
            subscription.expire(System.nanoTime(), ackTimeoutNanos);
            int index = logIndexOf(id);
            return index < 0 ? AckOutcome.NOT_RECEIVED : subscription.acknowledge(index);
        } finally {
            lock.unlock();
        }
    }

    private int logIndexOf(MessageId id) {
        int partition = partitions == 0 ? (id.partition() == -1 ? 0 : -1) : id.partition();
        if (partition < 0 || partition >= ledgers.length || ledgers[partition] != id.ledger()
                || id.entry() >= entryCounts[partition]) {
            return -1;
        }
        return entryIndexes[partition][(int) id.entry()];
    }

    TopicStats stats(long ackTimeoutNanos) {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<SubscriptionStats> subscriptionStats = new ArrayList<>(subscriptions.size());
            for (Subscription subscription : subscriptions.values()) {
                subscription.expire(now, ackTimeoutNanos);
                subscriptionStats.add(subscription.stats(name, log.size()));
            }
            return new TopicStats(name, partitions, log.size(), subscriptionStats);
        } finally {
            lock.unlock();
        }
    }

    /** @return null when the subscription does not exist */
    SubscriptionStats subscriptionStats(String subscriptionName, long ackTimeoutNanos) {
        lock.lock();
        try {
            Subscription subscription = subscriptions.get(subscriptionName);
            if (subscription == null) {
                return null;
            }
            subscription.expire(System.nanoTime(), ackTimeoutNanos);
            return subscription.stats(name, log.size());
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting receiver, so that it looks again at the clock (the ack timeout may have changed). */
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
