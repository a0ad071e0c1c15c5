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
 * and their ack timeout, the limit of unacknowledged messages per subscription and partition, the batches of the
 * service-side producer, and the counters tests assert on. It knows nothing of HTTP; the protocol layer calls
 * {@link #send}, {@link #sendBatched}, {@link #receive} and {@link #acknowledge}, and tests may call every public
 * method directly.
 *
 * <p>Topics are named in any form {@link TopicName} accepts and kept under their canonical name.
 * Thread-safe. Everything lives in memory until {@link #reset()}.
 */
public final class Broker {

    /** The largest payload a message may carry: 1 MB, counted in UTF-8 bytes. */
    public static final int MAX_PAYLOAD_BYTES = 1_048_576;

    /**
     * The service's default limit of unacknowledged messages per subscription and partition: past it the service
     * stops delivering to that subscription on that partition until acknowledgements arrive (product doc 1110/68959;
     * UnackPolicy DefaultPolicy on CreateTopic and ModifyTopic).
     */
    public static final int DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES = 5000;

    /** The highest ledger id a random base is drawn below, leaving room for every ledger a run can create. */
    static final long MAX_RANDOM_FIRST_LEDGER = 1L << 40;

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    // Ledger ids are never reused, not even after reset(), so an old message id can never ack a new message.
    private final AtomicLong nextLedger;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private volatile Duration ackTimeout;
    private volatile int maxUnacknowledgedMessages = DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES;
    private volatile boolean serviceSideBatching = true;

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

    /**
     * Changes the ack timeout of every topic that has none of its own; it applies at once, to messages already in
     * flight too.
     */
    public void ackTimeout(Duration ackTimeout) {
        this.ackTimeout = checkAckTimeout(ackTimeout);
        // Receivers sleep until the next expiry computed with the old value: let them look again.
        topics.values().forEach(Topic::wakeReceivers);
    }

    /**
     * The most unacknowledged messages a subscription may hold on one partition before delivery to it stops there,
     * for topics without a limit of their own; 0 when there is no limit. Default
     * {@value #DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES}.
     */
    public int maxUnacknowledgedMessages() {
        return maxUnacknowledgedMessages;
    }

    /**
     * Changes the limit of unacknowledged messages per subscription and partition of every topic that has none of
     * its own; 0 removes it (a leniency: the service stops delivering at 5,000). Applies at once.
     */
    public void maxUnacknowledgedMessages(int maxUnacknowledgedMessages) {
        if (maxUnacknowledgedMessages < 0) {
            throw new IllegalArgumentException("maxUnacknowledgedMessages must not be negative, was "
                    + maxUnacknowledgedMessages);
        }
        this.maxUnacknowledgedMessages = maxUnacknowledgedMessages;
        topics.values().forEach(Topic::wakeReceivers);
    }

    /** Whether {@link #sendBatched} aggregates messages into batch entries, as the service does; default true. */
    public boolean serviceSideBatching() {
        return serviceSideBatching;
    }

    /**
     * Turns service-side batching on or off. Off is a leniency: every SendBatchMessages call is then stored alone in
     * an entry and answered at once, as SendMessages is.
     */
    public void serviceSideBatching(boolean serviceSideBatching) {
        this.serviceSideBatching = serviceSideBatching;
    }

    /**
     * Creates a topic with the broker's defaults: {@code createTopic(topic, partitions, TopicOptions.DEFAULTS)}.
     */
    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, TopicOptions.DEFAULTS);
    }

    /**
     * Creates a topic, or does nothing when it exists with that number of partitions and those options.
     *
     * @param topic      {@code tenant/namespace/topic}, or another form {@link TopicName} accepts
     * @param partitions 0 for a non-partitioned topic (which cannot be received from over HTTP), else at least 1
     * @param options    the topic's own ack timeout and limit of unacknowledged messages, where it has them
     * @throws BrokerException when the name is malformed or the topic exists with other partitions or options
     */
    public void createTopic(String topic, int partitions, TopicOptions options) {
        String name = TopicName.check(topic);
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must not be negative, was " + partitions);
        }
        Objects.requireNonNull(options, "options");
        Topic existing = topics.computeIfAbsent(name, created -> newTopic(created, partitions, options));
        if (existing.partitions() != partitions || !existing.options().equals(options)) {
            throw new BrokerException(BrokerException.Reason.TOPIC_EXISTS, "Topic " + topic + " exists already with "
                    + existing.partitions() + " partitions and " + existing.options()
                    + "; reset() the broker to create it anew.");
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
        int bytes = checkSize(payload);
        return topicForUse(topic).append(payload, bytes);
    }

    /**
     * Stores a message as SendBatchMessages does: the service-side producer aggregates the calls that arrive within
     * {@code limits} into one batch entry, and the call returns when that batch is published (so at most
     * {@code limits.maxPublishDelay()} later). The id carries the message's batch index. With service-side batching
     * off, {@link #send} by another name.
     *
     * @throws BrokerException as {@link #send}
     */
    public MessageId sendBatched(String topic, String payload, BatchingLimits limits) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(limits, "limits");
        if (!serviceSideBatching) {
            return send(topic, payload);
        }
        int bytes = checkSize(payload);
        return topicForUse(topic).appendBatched(payload, bytes, limits);
    }

    /**
     * Hands messages to a receiver of the subscription (shared: concurrent receivers get different messages).
     * Messages whose ack timeout expired come first. The subscription is created at first sight, its cursor at the
     * start or the end of the log as {@code position} says; later positions do not move it. A partition on which the
     * subscription holds the topic's limit of unacknowledged messages delivers nothing, as if it were empty, until
     * acknowledgements (or expired ack timeouts) bring it under the limit.
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
        return found.receive(subscription, position, limits, ackTimeoutNanos(found),
                maxUnacknowledgedMessages(found));
    }

    /**
     * Acknowledges one message for one subscription, never the other messages of its batch entry. An id with three
     * parts (batch index -1) or batch index 0 names an entry's first message. Idempotent; an id the subscription never
     * received changes nothing and is not an error, as in Pulsar.
     *
     * @throws BrokerException for an unknown topic or an unknown subscription
     */
    public AckOutcome acknowledge(String topic, String subscription, MessageId id) {
        Topic found = existingTopic(topic);
        AckOutcome outcome = found.acknowledge(subscription, Objects.requireNonNull(id, "id"), ackTimeoutNanos(found),
                maxUnacknowledgedMessages(found));
        if (outcome == null) {
            throw subscriptionNotFound(topic, subscription);
        }
        return outcome;
    }

    /**
     * @throws BrokerException when the topic does not exist
     */
    public TopicStats topicStats(String topic) {
        Topic found = existingTopic(topic);
        return found.stats(ackTimeoutNanos(found), maxUnacknowledgedMessages(found));
    }

    /**
     * @throws BrokerException when the topic or the subscription does not exist
     */
    public SubscriptionStats subscriptionStats(String topic, String subscription) {
        Topic found = existingTopic(topic);
        SubscriptionStats stats = found.subscriptionStats(subscription, ackTimeoutNanos(found),
                maxUnacknowledgedMessages(found));
        if (stats == null) {
            throw subscriptionNotFound(topic, subscription);
        }
        return stats;
    }

    /** The counters of every topic, by name. */
    public List<TopicStats> stats() {
        List<TopicStats> all = new ArrayList<>();
        for (Topic topic : topics.values()) {
            all.add(topic.stats(ackTimeoutNanos(topic), maxUnacknowledgedMessages(topic)));
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
        return topics.computeIfAbsent(name, created -> newTopic(created, defaultPartitions, TopicOptions.DEFAULTS));
    }

    /** The topic's own ack timeout, else the broker's. */
    private long ackTimeoutNanos(Topic topic) {
        Duration own = topic.options().ackTimeout();
        return (own != null ? own : ackTimeout).toNanos();
    }

    /** The topic's own limit of unacknowledged messages, else the broker's; 0 for none. */
    private int maxUnacknowledgedMessages(Topic topic) {
        Integer own = topic.options().maxUnacknowledgedMessages();
        return own != null ? own : maxUnacknowledgedMessages;
    }

    private static int checkSize(String payload) {
        int bytes = Utf8.length(payload);
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new BrokerException(BrokerException.Reason.MESSAGE_TOO_LARGE, "The message is " + bytes
                    + " bytes; the largest message is " + MAX_PAYLOAD_BYTES + " bytes (1 MB).");
        }
        return bytes;
    }

    private Topic existingTopic(String topic) {
        String name = TopicName.check(topic);
        Topic found = topics.get(name);
        if (found == null) {
            throw notFound(name);
        }
        return found;
    }

    private Topic newTopic(String name, int partitions, TopicOptions options) {
        return new Topic(name, partitions, options, nextLedger::getAndIncrement);
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
