package io.github.tdmqhttp.emulator.model;

import java.util.List;

/**
 * Counters of one topic at the moment they were read.
 *
 * @param topic         the full topic name, {@code tenant/namespace/topic}
 * @param partitions    the number of partitions, 0 for a non-partitioned topic
 * @param sent          messages stored in the topic since it was created
 * @param subscriptions the counters of every subscription of the topic, by name
 */
public record TopicStats(String topic, int partitions, long sent, List<SubscriptionStats> subscriptions) {

    public TopicStats {
        subscriptions = List.copyOf(subscriptions);
    }
}
