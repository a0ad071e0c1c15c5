package io.github.tdmqhttp.camel;

/**
 * How TDMQ names a subscription's dead letter topic, which differs by cluster version and by how the subscription was
 * created (product doc 1110/42925, "Message Retry and Dead Letter Mechanisms"; CreateSubscription's PostFixPattern,
 * API reference 1179/115322). The consumer takes the name from here when {@code deadLetterTopic} is not set; the
 * topic is in the consumer's own cluster and namespace. Look up the dead letter topic the console shows for the
 * subscription when in doubt, or set {@code deadLetterTopic}.
 */
public enum DeadLetterTopicNaming {
    /** {@code <topic>-<subscription>-DLQ}: 2.9 clusters, and Apache Pulsar's own convention. */
    TOPIC_SUBSCRIPTION_DLQ,
    /** {@code <subscription>-DLQ}: 2.7 clusters. */
    SUBSCRIPTION_DLQ,
    /** {@code <subscription>-dlq}, in lower case: 2.6.1 clusters. */
    SUBSCRIPTION_DLQ_LOWER_CASE;

    /** The dead letter topic's name (without cluster and namespace) of a subscription to a topic. */
    String topicName(String topicName, String subscription) {
        return switch (this) {
            case TOPIC_SUBSCRIPTION_DLQ -> topicName + "-" + subscription + "-DLQ";
            case SUBSCRIPTION_DLQ -> subscription + "-DLQ";
            case SUBSCRIPTION_DLQ_LOWER_CASE -> subscription + "-dlq";
        };
    }
}
