package io.github.tdmqhttp.emulator.model;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A shared subscription on one topic: a cursor per partition over the topic's messages, the messages in flight, the
 * acknowledged ones, and per partition the count of unacknowledged messages that the topic's limit applies to.
 *
 * <p>Messages are named by their index in the topic's log (publish order). Every method runs under the topic's lock.
 * Ack timeouts are checked lazily, by {@link #expire}, whenever the subscription is used: no timer thread.
 */
final class Subscription {

    /** The topic's messages as a subscription reads them: by log index, and per partition in publish order. */
    interface Log {

        /** Messages in the whole topic. */
        int size();

        /** The partitions, or 1 for a non-partitioned topic. */
        int slots();

        /** The partition (0 on a non-partitioned topic) of the message at {@code logIndex}. */
        int slotOf(int logIndex);

        /** Messages stored in partition {@code slot}. */
        int sizeOf(int slot);

        /** The log index of the message at {@code position} in partition {@code slot}. */
        int logIndexAt(int slot, int position);
    }

    private final String name;
    private final Log log;
    /** The log size when the subscription was created with Latest, else 0: where its backlog starts. */
    private final int start;
    /** Per partition, the position of the next message never dispatched; fixed start at creation. */
    private final int[] next;
    /** Per partition, messages reserved or in flight: what the limit of unacknowledged messages counts. */
    private final int[] unacknowledged;
    /** Delivered, not acknowledged, ack timeout running: log index to delivery time (nanoTime), oldest first. */
    private final LinkedHashMap<Integer, Long> inFlight = new LinkedHashMap<>();
    /** Delivered once, ack timeout expired, waiting to be delivered again ahead of new messages. */
    private final LinkedHashSet<Integer> redeliveries = new LinkedHashSet<>();
    /** Taken by a receive that has not answered yet; invisible to other receivers. */
    private final LinkedHashSet<Integer> reserved = new LinkedHashSet<>();
    private final BitSet acknowledged = new BitSet();
    private final BitSet deliveredBefore = new BitSet();

    private long delivered;
    private long redelivered;
    private long acked;
    private long duplicateAcks;

    Subscription(String name, Log log, InitialPosition position) {
        this.name = name;
        this.log = log;
        this.next = new int[log.slots()];
        this.unacknowledged = new int[log.slots()];
        if (position == InitialPosition.LATEST) {
            for (int slot = 0; slot < next.length; slot++) {
                next[slot] = log.sizeOf(slot);
            }
            this.start = log.size();
        } else {
            this.start = 0;
        }
    }

    String name() {
        return name;
    }

    /**
     * Moves in-flight messages whose ack timeout has passed to the redelivery queue. They no longer count as
     * unacknowledged: a Pulsar consumer asks for their redelivery, which takes them out of its pending acks.
     */
    void expire(long nowNanos, long ackTimeoutNanos) {
        Iterator<Map.Entry<Integer, Long>> oldestFirst = inFlight.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            Map.Entry<Integer, Long> message = oldestFirst.next();
            // Delivery times only grow along the map, so the first message still in time ends the scan.
            if (nowNanos - message.getValue() < ackTimeoutNanos) {
                return;
            }
            oldestFirst.remove();
            redeliveries.add(message.getKey());
            unacknowledged[log.slotOf(message.getKey())]--;
        }
    }

    /** Nanoseconds until the oldest in-flight message expires, or {@link Long#MAX_VALUE} when none is in flight. */
    long nanosUntilNextExpiry(long nowNanos, long ackTimeoutNanos) {
        if (inFlight.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long deliveredAt = inFlight.values().iterator().next();
        return Math.max(0, deliveredAt + ackTimeoutNanos - nowNanos);
    }

    /** Whether delivery has stopped on partition {@code slot}: it holds {@code limit} unacknowledged messages. */
    boolean isBlocked(int slot, int limit) {
        return limit > 0 && unacknowledged[slot] >= limit;
    }

    /**
     * The log index to dispatch next, or -1 when nothing is available: redeliveries first, then the oldest new
     * message, skipping partitions on which the subscription holds {@code limit} unacknowledged messages (0: no
     * limit).
     */
    int peekNext(int limit) {
        for (int index : redeliveries) {
            if (!isBlocked(log.slotOf(index), limit)) {
                return index;
            }
        }
        int oldest = -1;
        for (int slot = 0; slot < next.length; slot++) {
            if (next[slot] < log.sizeOf(slot) && !isBlocked(slot, limit)) {
                int candidate = log.logIndexAt(slot, next[slot]);
                if (oldest < 0 || candidate < oldest) {
                    oldest = candidate;
                }
            }
        }
        return oldest;
    }

    /** Takes the message {@link #peekNext} returned for a receive in progress. */
    void reserve(int index) {
        int slot = log.slotOf(index);
        if (!redeliveries.remove(index)) {
            next[slot]++;
        }
        reserved.add(index);
        unacknowledged[slot]++;
    }

    /** A receive ended without answering (its thread was interrupted): its messages go back ahead of the rest. */
    void release(List<Integer> indexes) {
        LinkedHashSet<Integer> requeued = new LinkedHashSet<>(indexes);
        requeued.addAll(redeliveries);
        redeliveries.clear();
        redeliveries.addAll(requeued);
        for (int index : indexes) {
            reserved.remove(index);
            unacknowledged[log.slotOf(index)]--;
        }
    }

    /** The receive answers with these messages: their ack timeout starts now. */
    void deliver(List<Integer> indexes, long nowNanos, boolean[] redeliveredOut) {
        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            reserved.remove(index);
            inFlight.put(index, nowNanos);
            if (deliveredBefore.get(index)) {
                redelivered++;
                redeliveredOut[i] = true;
            } else {
                deliveredBefore.set(index);
                delivered++;
            }
        }
    }

    AckOutcome acknowledge(int index) {
        if (acknowledged.get(index)) {
            duplicateAcks++;
            return AckOutcome.ALREADY_ACKED;
        }
        boolean wasInFlight = inFlight.remove(index) != null;
        if (wasInFlight || redeliveries.remove(index)) {
            if (wasInFlight) {
                unacknowledged[log.slotOf(index)]--;
            }
            acknowledged.set(index);
            acked++;
            return AckOutcome.ACKED;
        }
        // Never dispatched, before the start position, or taken by a receive that has not answered yet.
        return AckOutcome.NOT_RECEIVED;
    }

    /** @param limit the topic's limit of unacknowledged messages per partition, 0 for none */
    SubscriptionStats stats(String topic, int limit) {
        long backlog = Math.max(0, log.size() - start) - acked;
        long unacknowledgedTotal = 0;
        boolean blocked = false;
        for (int slot = 0; slot < unacknowledged.length; slot++) {
            unacknowledgedTotal += unacknowledged[slot];
            blocked |= isBlocked(slot, limit);
        }
        return new SubscriptionStats(topic, name, delivered, redelivered, acked, duplicateAcks, backlog,
                inFlight.size(), unacknowledgedTotal, blocked);
    }
}
