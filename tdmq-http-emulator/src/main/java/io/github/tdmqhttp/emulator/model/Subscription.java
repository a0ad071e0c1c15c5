package io.github.tdmqhttp.emulator.model;

import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A shared subscription on one topic: a cursor over the topic's log, the messages in flight, the acknowledged ones.
 *
 * <p>Messages are named by their index in the topic's log (publish order). Every method runs under the topic's lock.
 * Ack timeouts are checked lazily, by {@link #expire}, whenever the subscription is used: no timer thread.
 */
final class Subscription {

    private final String name;
    /** The first log index this subscription can see; fixed at creation (Earliest or Latest). */
    private final int start;
    /** The next log index never dispatched. */
    private int next;
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

    Subscription(String name, int start) {
        this.name = name;
        this.start = start;
        this.next = start;
    }

    String name() {
        return name;
    }

    /** Moves in-flight messages whose ack timeout has passed to the redelivery queue. */
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

    /** The log index to dispatch next (redeliveries first), or -1 when nothing is available. */
    int peekNext(int logSize) {
        if (!redeliveries.isEmpty()) {
            return redeliveries.iterator().next();
        }
        return next < logSize ? next : -1;
    }

    /** Takes the message {@link #peekNext} returned for a receive in progress. */
    void reserve(int index) {
        if (!redeliveries.remove(index)) {
            next = index + 1;
        }
        reserved.add(index);
    }

    /** A receive ended without answering (its thread was interrupted): its messages go back ahead of the rest. */
    void release(List<Integer> indexes) {
        LinkedHashSet<Integer> requeued = new LinkedHashSet<>(indexes);
        requeued.addAll(redeliveries);
        redeliveries.clear();
        redeliveries.addAll(requeued);
        indexes.forEach(reserved::remove);
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
        if (inFlight.remove(index) != null || redeliveries.remove(index)) {
            acknowledged.set(index);
            acked++;
            return AckOutcome.ACKED;
        }
        // Never dispatched, before the start position, or taken by a receive that has not answered yet.
        return AckOutcome.NOT_RECEIVED;
    }

    SubscriptionStats stats(String topic, int logSize) {
        long backlog = Math.max(0, logSize - start) - acked;
        return new SubscriptionStats(topic, name, delivered, redelivered, acked, duplicateAcks, backlog,
                inFlight.size());
    }
}
