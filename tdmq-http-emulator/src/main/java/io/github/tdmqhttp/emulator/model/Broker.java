package io.github.tdmqhttp.emulator.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker the emulator serves: topics, their ordered logs, shared subscriptions with cursors, messages in flight
 * and their ack timeout, and the counters tests assert on. It knows nothing of HTTP; the protocol layer calls
 * {@link #send}, {@link #receive} and {@link #acknowledge}, and tests may call every public method directly.
 *
 * <p>Topics are named in any form {@link TopicName} accepts and kept under their canonical name.
 * Thread-safe. Everything lives in memory until {@link #reset()}.
 */
public final class Broker {

    /** The largest payload a message may carry: 1 MB, counted in UTF-8 bytes. */
    public static final int MAX_PAYLOAD_BYTES = 1_048_576;

    /** The highest ledger id a random base is drawn below, leaving room for every ledger a run can create. */
    static final long MAX_RANDOM_FIRST_LEDGER = 1L << 40;

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    // Ledger ids are never reused, not even after reset(), so an old message id can never ack a new message.
    private final AtomicLong nextLedger;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private volatile Duration ackTimeout;

    /**
     * A broker whose ledger ids start at a random number, so that message ids differ from run to run as real ledger
     * ids do (files named after message ids by an earlier run are not overwritten by a later one).
     *
     * @see #Broker(boolean, int, Duration, long)
     */
    public Broker(boolean autoCreateTopics, int defaultPartitions, Duration ackTimeout) {
        this(autoCreateTopics, defaultPartitions, ackTimeout, randomFirstLedger());
    }

    /**
     * @param autoCreateTopics  whether a send or receive on an unknown topic creates it (as Pulsar's auto topic
     *                          creation does); when false such calls fail with {@link BrokerException.Reason#TOPIC_NOT_FOUND}
     * @param defaultPartitions partitions of auto-created topics; 0 makes them non-partitioned (no receive possible)
     * @param ackTimeout        how long a delivered message may stay unacknowledged before it is delivered again
     * @param firstLedgerId     the ledger id of the first partition created; later ones count up from it. Fix it
     *                          where a test needs the same ids on every run
     */
    public Broker(boolean autoCreateTopics, int defaultPartitions, Duration ackTimeout, long firstLedgerId) {
        if (defaultPartitions < 0) {
            throw new IllegalArgumentException("defaultPartitions must not be negative, was " + defaultPartitions);
        }
        if (firstLedgerId < 0) {
            throw new IllegalArgumentException("firstLedgerId must not be negative, was " + firstLedgerId);
        }
        this.autoCreateTopics = autoCreateTopics;
        this.defaultPartitions = defaultPartitions;
        this.ackTimeout = checkAckTimeout(ackTimeout);
        this.nextLedger = new AtomicLong(firstLedgerId);
    }

    /** A ledger id to start from, different on every run. */
    public static long randomFirstLedger() {
        return ThreadLocalRandom.current().nextLong(1_000, MAX_RANDOM_FIRST_LEDGER);
    }

    /** Whether unknown topics are created on first use. */
    public boolean autoCreateTopics() {
        return autoCreateTopics;
    }

    /** Partitions of auto-created topics. */
    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** How long a delivered message may stay unacknowledged before it is delivered again. */
    public Duration ackTimeout() {
        return ackTimeout;
    }

    /** Changes the ack timeout; it applies at once, to messages already in flight too. */
    public void ackTimeout(Duration ackTimeout) {
        this.ackTimeout = checkAckTimeout(ackTimeout);
        // Receivers sleep until the next expiry computed with the old value: let them look again.
        topics.values().forEach(Topic::wakeReceivers);
    }

    /**
     * Creates a topic, or does nothing when it exists with that number of partitions.
     *
     * @param topic      {@code tenant/namespace/topic}, or another form {@link TopicName} accepts
     * @param partitions 0 for a non-partitioned topic (which cannot be received from over HTTP), else at least 1
     * @throws BrokerException when the name is malformed or the topic exists with another number of partitions
     */
    public void createTopic(String topic, int partitions) {
        String name = TopicName.check(topic);
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must not be negative, was " + partitions);
        }
        Topic existing = topics.computeIfAbsent(name, created -> newTopic(created, partitions));
        if (existing.partitions() != partitions) {
            throw new BrokerException(BrokerException.Reason.TOPIC_EXISTS, "Topic " + topic + " exists already with "
                    + existing.partitions() + " partitions; reset() the broker to create it anew.");
        }
    }

    /**
     * Stores a message without going through HTTP, as SendMessages would; {@link #send} by another name, for tests
     * that prepare a topic.
     */
    public MessageId publish(String topic, String payload) {
        return send(topic, payload);
    }

    /**
     * Stores a message. Partitioned topics take partitions in turn.
     *
     * @throws BrokerException for a malformed or unknown (unless topics are auto-created) topic, or a payload over
     *                         1 MB
     */
    public MessageId send(String topic, String payload) {
        Objects.requireNonNull(payload, "payload");
        int bytes = Utf8.length(payload);
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new BrokerException(BrokerException.Reason.MESSAGE_TOO_LARGE, "The message is " + bytes
                    + " bytes; the largest message is " + MAX_PAYLOAD_BYTES + " bytes (1 MB).");
        }
        return topicForUse(topic).append(payload, bytes);
    }

    /**
     * Hands messages to a receiver of the subscription (shared: concurrent receivers get different messages).
     * Messages whose ack timeout expired come first. The subscription is created at first sight, its cursor at the
     * start or the end of the log as {@code position} says; later positions do not move it.
     *
     * @return the messages; empty when none came within {@code limits.maxWait()}
     * @throws BrokerException      for a malformed, unknown (unless auto-created) or non-partitioned topic
     * @throws InterruptedException when the thread is interrupted; the messages it had taken go back to the queue
     */
    public List<ReceivedMessage> receive(String topic, String subscription, InitialPosition position,
                                         ReceiveLimits limits) throws InterruptedException {
        Topic found = topicForUse(topic);
        if (found.partitions() == 0) {
            throw new BrokerException(BrokerException.Reason.TOPIC_NOT_PARTITIONED, "Topic " + topic
                    + " is not partitioned; ReceiveMessage works on partitioned topics only.");
        }
        return found.receive(subscription, position, limits, ackTimeout.toNanos());
    }

    /**
     * Acknowledges one message for one subscription. Idempotent; an id the subscription never received changes
     * nothing and is not an error, as in Pulsar.
     *
     * @throws BrokerException for an unknown topic or an unknown subscription
     */
    public AckOutcome acknowledge(String topic, String subscription, MessageId id) {
        Topic found = existingTopic(topic);
        AckOutcome outcome = found.acknowledge(subscription, java.util.Objects.requireNonNull(id, "id"),
                ackTimeout.toNanos());
        if (outcome == null) {
            throw subscriptionNotFound(topic, subscription);
        }
        return outcome;
    }

    /**
     * @throws BrokerException when the topic does not exist
     */
    public TopicStats topicStats(String topic) {
        return existingTopic(topic).stats(ackTimeout.toNanos());
    }

    /**
     * @throws BrokerException when the topic or the subscription does not exist
     */
    public SubscriptionStats subscriptionStats(String topic, String subscription) {
        SubscriptionStats stats = existingTopic(topic).subscriptionStats(subscription, ackTimeout.toNanos());
        if (stats == null) {
            throw subscriptionNotFound(topic, subscription);
        }
        return stats;
    }

    /** The counters of every topic, by name. */
    public List<TopicStats> stats() {
        long ackTimeoutNanos = ackTimeout.toNanos();
        List<TopicStats> all = new ArrayList<>();
        for (Topic topic : topics.values()) {
            all.add(topic.stats(ackTimeoutNanos));
        }
        all.sort(Comparator.comparing(TopicStats::topic));
        return all;
    }

    /** Drops every topic and subscription. Receivers waiting on a dropped topic return empty-handed. */
    public void reset() {
        for (String name : List.copyOf(topics.keySet())) {
            Topic removed = topics.remove(name);
            if (removed != null) {
                removed.delete();
            }
        }
    }

    private Topic topicForUse(String topic) {
        String name = TopicName.check(topic);
        Topic found = topics.get(name);
        if (found != null) {
            return found;
        }
        if (!autoCreateTopics) {
            throw notFound(name);
        }
        return topics.computeIfAbsent(name, created -> newTopic(created, defaultPartitions));
    }

    private Topic existingTopic(String topic) {
        String name = TopicName.check(topic);
        Topic found = topics.get(name);
        if (found == null) {
            throw notFound(name);
        }
        return found;
    }

    private Topic newTopic(String name, int partitions) {
        return new Topic(name, partitions, nextLedger::getAndIncrement);
    }

    /**
     * Without auto-creation the declared topics are the only record of tenants (cluster ids): a topic whose tenant
     * none of them has is an unknown tenant, as on the service.
     */
    private BrokerException notFound(String topic) {
        String tenant = topic.substring(0, topic.indexOf('/') + 1);
        if (!autoCreateTopics && topics.keySet().stream().noneMatch(known -> known.startsWith(tenant))) {
            return new BrokerException(BrokerException.Reason.TENANT_NOT_FOUND, "Tenant "
                    + tenant.substring(0, tenant.length() - 1) + " of topic " + topic + " does not exist: no declared"
                    + " topic is on that cluster. Check the cluster id, or declare the topic.");
        }
        return topicNotFound(topic);
    }

    private static BrokerException topicNotFound(String topic) {
        return new BrokerException(BrokerException.Reason.TOPIC_NOT_FOUND, "Topic " + topic + " does not exist;"
                + " declare it as the TDMQ console would create it (builder topic(..), --topic, POST"
                + " /__admin/tdmq/topics, @TdmqTopic), or let the emulator auto-create topics.");
    }

    private static BrokerException subscriptionNotFound(String topic, String subscription) {
        return new BrokerException(BrokerException.Reason.SUBSCRIPTION_NOT_FOUND, "Subscription `" + subscription
                + "` does not exist on topic " + topic + "; a subscription exists once it has received.");
    }

    private static Duration checkAckTimeout(Duration ackTimeout) {
        if (ackTimeout == null || ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ackTimeout must be positive, was " + ackTimeout);
        }
        return ackTimeout;
    }
}
