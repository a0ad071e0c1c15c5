package io.github.tdmqhttp.emulator.model;

/**
 * Counters of one subscription at the moment they were read.
 *
 * @param topic                   the topic the subscription reads
 * @param subscription            the subscription name
 * @param delivered               first deliveries of a message to this subscription
 * @param redelivered             deliveries of a message whose ack timeout had expired
 * @param acked                   distinct messages acknowledged
 * @param duplicateAcks           acknowledgements of a message that was already acknowledged
 * @param backlog                 messages after the subscription's start position not yet acknowledged, in flight
 *                                included
 * @param inFlight                messages delivered and neither acknowledged nor past their ack timeout
 * @param unacknowledged          messages counted against the limit of unacknowledged messages, over all partitions:
 *                                those in flight and those a receive is handing over
 * @param blockedOnUnacknowledged whether delivery has stopped on at least one partition because the subscription
 *                                holds the topic's limit of unacknowledged messages there (the service's
 *                                {@code BlockedSubscriptionOnUnackedMsgs})
 */
public record SubscriptionStats(String topic, String subscription, long delivered, long redelivered, long acked,
                                long duplicateAcks, long backlog, long inFlight, long unacknowledged,
                                boolean blockedOnUnacknowledged) {
}
