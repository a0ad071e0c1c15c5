package io.github.tdmqhttp.emulator.model;

import java.util.List;

/**
 * Counters of one topic at the moment they were read.
 *
 * @param topic                     the full topic name, {@code tenant/namespace/topic}
 * @param partitions                the number of partitions, 0 for a non-partitioned topic
 * @param sent                      messages stored in the topic since it was created
 * @param subscriptions             the counters of every subscription of the topic, by name
 * @param ackTimeoutMillis          the ack timeout in force for the topic: its own, else the broker's
 * @param maxUnacknowledgedMessages the limit of unacknowledged messages per subscription and partition in force for
 *                                  the topic, 0 for none
 */
public record TopicStats(String topic, int partitions, long sent, List<SubscriptionStats> subscriptions,
                         long ackTimeoutMillis, int maxUnacknowledgedMessages) {

    public TopicStats {
        subscriptions = List.copyOf(subscriptions);
    }
}
