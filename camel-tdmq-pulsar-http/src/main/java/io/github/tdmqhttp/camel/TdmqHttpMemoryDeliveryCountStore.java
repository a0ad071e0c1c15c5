package io.github.tdmqhttp.camel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts deliveries in memory, for the messages of one application. It holds only messages not yet acknowledged,
 * and at most {@code capacity} of them: past that the oldest count is forgotten, which lets that message be tried
 * again from 1, never sent to the dead letter topic early. Memory: about 150 bytes per message held.
 */
public class TdmqHttpMemoryDeliveryCountStore implements TdmqHttpDeliveryCountStore {

    /** Far more than a consumer holds unacknowledged at once with the default options (about 10 MB when full). */
    public static final int DEFAULT_CAPACITY = 65_536;

    private final Map<String, Integer> counts;

    public TdmqHttpMemoryDeliveryCountStore() {
        this(DEFAULT_CAPACITY);
    }

    public TdmqHttpMemoryDeliveryCountStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        // Access order: a message delivered again moves to the young end, so eviction takes the longest forgotten.
        this.counts = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized int delivered(String topic, String subscription, String messageId) {
        // A negative count is a message moved to the dead letter topic: it keeps its mark as it is counted on.
        int count = counts.merge(key(topic, subscription, messageId), 1,
                (previous, one) -> previous < 0 ? previous - one : previous + one);
        return Math.abs(count);
    }

    @Override
    public synchronized void deadLettered(String topic, String subscription, String messageId) {
        counts.merge(key(topic, subscription, messageId), -1, (previous, mark) -> -Math.abs(previous));
    }

    @Override
    public synchronized boolean isDeadLettered(String topic, String subscription, String messageId) {
        Integer count = counts.get(key(topic, subscription, messageId));
        return count != null && count < 0;
    }

    @Override
    public synchronized void settled(String topic, String subscription, String messageId) {
        counts.remove(key(topic, subscription, messageId));
    }

    /** How many messages the store holds a count for. */
    public synchronized int size() {
        return counts.size();
    }

    private static String key(String topic, String subscription, String messageId) {
        return topic + '\n' + subscription + '\n' + messageId;
    }
}
