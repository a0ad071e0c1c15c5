package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpMessageId;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much each receive asks for, learnt from the answers. While the topic is quiet, one message per receive, which the
 * server holds until a message arrives; while messages flow, batches, fewer of them while batches outlast half the ack
 * timeout and more again while they are quick, never more than an answer the service refused as too large; after a
 * batch whose ids and payloads cannot be paired, one message per receive until that batch is back. It also says how
 * many receives to keep in flight ahead of the pollers. Thread-safe: every poller reads and writes it. Internal.
 */
public final class ReceiveSizing {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.tdmqhttp.camel.TdmqHttpConsumer");
    /** Above the round trip by this much (and half a round trip), a single receive waited on the server for its message. */
    private static final long HELD_MARGIN = TimeUnit.MILLISECONDS.toNanos(10);

    private final TdmqHttpConfiguration configuration;
    private final TdmqHttpMetrics metrics;
    private final long ackTimeout;
    private final String consumer;

    /** How many messages a poll asks for: maxMessagesPerPoll, or fewer while batches outlast half the ack timeout. */
    private final AtomicInteger batchSize = new AtomicInteger();
    /** The most messages a poll asks for: maxMessagesPerPoll, lower for good once the service refused an answer. */
    private volatile int batchCeiling;
    /** The payload bytes a batch receive asks for at most: maxNumBytes, or less after an answer was too large. */
    private volatile Integer receiveBytes;
    /** The ids of a batch that could not be paired, awaited one message per call until they are back. */
    private final Set<String> awaitedIds = ConcurrentHashMap.newKeySet();
    /** Until when (System.nanoTime) the pollers receive one message per call; 0 when they receive batches. */
    private volatile long singleUntil;
    /** Whether messages flow faster than single receives bring them: then receives ask for batches. */
    private volatile boolean flowing;
    /**
     * Whether the latest batch came back full within about a round trip: messages were waiting, more than one receive
     * at a time brings them. A batch the server had to wait to fill says the receives keep up already, and more in
     * flight would only split the arrivals between them and make each wait longer.
     */
    private volatile boolean backlogged;
    /** A moving average of a call's round trip when the server does not wait (acknowledgements, full batches). */
    private volatile long roundTripNanos;
    /** A moving average of how long a poller takes to process what one receive brought. */
    private volatile long batchNanos;
    /** The payload characters of the latest batch: receives started ahead bring together no more than maxNumBytes. */
    private volatile long batchChars;

    /**
     * @param ackTimeout the ack timeout in nanoseconds
     * @param consumer   how log lines name the consumer
     */
    public ReceiveSizing(TdmqHttpConfiguration configuration, TdmqHttpMetrics metrics, long ackTimeout,
                         String consumer) {
        this.configuration = configuration;
        this.metrics = metrics;
        this.ackTimeout = ackTimeout;
        this.consumer = consumer;
    }

    /** The consumer starts: what it learnt before is forgotten. */
    public void reset() {
        batchSize.set(configuration.getMaxMessagesPerPoll());
        batchCeiling = configuration.getMaxMessagesPerPoll();
        receiveBytes = configuration.getMaxNumBytes();
        singleUntil = 0;
        awaitedIds.clear();
        // A backlog may be waiting: the first receive asks for a batch, and one that does not fill says otherwise.
        flowing = true;
        backlogged = false;
        roundTripNanos = 0;
        batchNanos = 0;
    }

    /** How many messages a poll asks for while messages flow. */
    public int currentBatchSize() {
        return isSingleMode() ? 1 : batchSize.get();
    }

    /**
     * How many messages the next receive asks for: 1 while the topic is quiet, a batch while messages flow; always a
     * batch with exchangePerBatch, whose receives wait batchReceiveTimeout on the server to fill it.
     */
    public int nextReceiveSize() {
        return flowing || configuration.isExchangePerBatch() ? currentBatchSize() : 1;
    }

    /** The payload bytes a batch receive asks for at most; null or 0 for no limit. */
    public Integer receiveBytes() {
        return receiveBytes;
    }

    /** The measured round trip of calls the server answers at once, in nanoseconds; 0 before the first. */
    public long roundTripNanos() {
        return roundTripNanos;
    }

    /** How many receives to keep in flight ahead of the pollers. */
    public int receivesInFlightTarget() {
        if (!flowing || !backlogged) {
            return 1;
        }
        long trip = roundTripNanos;
        long work = batchNanos;
        if (trip <= 0 || work <= 0) {
            return 1;
        }
        // A poller takes `work` for a batch; a receive takes `trip` to bring one: this many keep every poller busy.
        long needed = (trip * configuration.getConcurrentConsumers() + work - 1) / work;
        Integer maxNumBytes = configuration.getMaxNumBytes();
        if (maxNumBytes != null && maxNumBytes > 0) {
            // Answers waiting for a poller are held in memory: together, no more than one poll's worth of bytes.
            needed = Math.min(needed, Math.max(1, maxNumBytes / Math.max(1, batchChars)));
        }
        return (int) Math.max(1, Math.min(configuration.getMaxReceivesInFlight(), needed));
    }

    /** A receive found no message: the next one waits on the server. */
    public void idle() {
        flowing = false;
    }

    /**
     * Learns from an answer with messages whether they flow: a full batch, or a single message that was already
     * waiting (its answer came within about a round trip), means more are coming; a batch that did not fill, or a
     * single message the server waited for, means the topic is quiet enough for a receive waiting on the server. An
     * awaited message of an unpaired batch that is back ends its wait here, before it is processed: the receive
     * started ahead of its processing may already ask for a batch (the message is in this consumer's hands by then).
     */
    public void answered(int asked, TdmqHttpGateway.ReceivedBatch batch, long took) {
        int received = batch.messages().size();
        batchChars = batch.messages().stream().mapToLong(message -> message.payload().length()).sum();
        if (asked == 1 && !awaitedIds.isEmpty()) {
            awaitedIds.remove(TdmqHttpMessageId.canonical(batch.messages().get(0).messageId()));
        }
        if (asked > 1) {
            boolean full = received >= asked;
            long trip = roundTripNanos;
            if (full && trip == 0) {
                // Until an acknowledgement measures it, a full batch is the best guess of a round trip.
                roundTrip(took);
                trip = took;
            }
            flowing = full;
            backlogged = full && took <= trip + trip / 2 + HELD_MARGIN;
        } else if (asked == configuration.getMaxMessagesPerPoll()) {
            flowing = false;
        } else {
            long trip = roundTripNanos;
            flowing = trip > 0 && took <= trip + trip / 2 + HELD_MARGIN;
        }
    }

    /** A call the server answered without waiting (an acknowledgement): its duration is a round trip. */
    public void roundTrip(long took) {
        long average = roundTripNanos;
        roundTripNanos = average == 0 ? took : average + (took - average) / 8;
    }

    /**
     * A poller processed what a receive brought: fewer messages per poll while batches outlast half the ack timeout,
     * more again while they are quick.
     *
     * @param processing how long the poller took to process them
     * @param elapsed    from the start of the receive to the end of the processing
     */
    public void processed(int asked, int received, long processing, long elapsed) {
        long average = batchNanos;
        batchNanos = average == 0 ? processing : average + (processing - average) / 4;
        if (isSingleMode()) {
            return;
        }
        if (elapsed > ackTimeout / 2 && asked > 1) {
            int smaller = Math.max(1, asked / 2);
            if (batchSize.compareAndSet(asked, smaller)) {
                LOG.debug("A batch of {} took {} ms, over half the ack timeout: asking for {} from now on", received,
                        TimeUnit.NANOSECONDS.toMillis(elapsed), smaller);
            }
        } else if (received >= asked && elapsed < ackTimeout / 8 && asked < batchCeiling) {
            batchSize.compareAndSet(asked, Math.min(batchCeiling, asked * 2));
        }
    }

    /**
     * A batch whose payloads contain the separator cannot be delivered: none of it reaches the route, so TDMQ gives
     * it back after the ack timeout. Until then every poller asks for one message per call, which is never ambiguous,
     * so the bad payload and its neighbours each reach the route on their own.
     */
    public void unpaired(TdmqHttpGateway.ReceivedBatch batch) {
        metrics.unpairedBatch();
        batch.unpairedIds().forEach(id -> awaitedIds.add(TdmqHttpMessageId.canonical(id)));
        // Back after one ack timeout; a second one allows for the backlog before them.
        singleUntil = System.nanoTime() + 2 * ackTimeout;
        LOG.warn("{}: a batch of {} messages ({}) cannot be split, because a payload contains ### or starts or ends"
                 + " with #, so none was delivered. TDMQ delivers them again after the ack timeout; until then this"
                 + " consumer receives one message per call. Use payloadEncoding=BASE64 on both sides to avoid it"
                 + " (request id {})", consumer, batch.unpairedIds().size(),
                TdmqHttpGateway.namedIds(batch.unpairedIds()), batch.requestId());
    }

    /**
     * The service refused an answer as too large (it publishes no limit): ask for half as many messages and half as
     * many bytes from now on (until a restart: quick batches do not grow past it again), so that the next polls get
     * through rather than fail the same way.
     */
    public void refusedAsTooLarge(int asked) {
        int messages = batchSize.updateAndGet(size -> Math.max(1, Math.min(size, asked) / 2));
        batchCeiling = Math.min(batchCeiling, messages);
        Integer bytes = receiveBytes;
        int asBefore = bytes != null && bytes > 0 ? bytes : TdmqHttpConfiguration.DEFAULT_MAX_NUM_BYTES;
        int halved = Math.max(1024, asBefore / 2);
        receiveBytes = halved;
        LOG.warn("{}: TDMQ refused to answer a receive of {} message(s) as too large (ResponseSizeLimitExceeded):"
                 + " asking for {} message(s) and {} bytes at most from now on. Lower maxMessagesPerPoll or maxNumBytes"
                 + " to start there", consumer, asked, messages, halved);
    }

    /** Memory ran short while a batch was held: half as many messages from now on. */
    public void outOfMemory() {
        batchSize.updateAndGet(size -> Math.max(1, size / 2));
    }

    private boolean isSingleMode() {
        long until = singleUntil;
        if (until == 0) {
            return false;
        }
        if (awaitedIds.isEmpty() || System.nanoTime() - until > 0) {
            singleUntil = 0;
            int missing = awaitedIds.size();
            awaitedIds.clear();
            LOG.info("{} receives batches again{}", consumer, missing == 0 ? ": the unpaired batch is back"
                    : " although " + missing + " message(s) of the unpaired batch did not come back in time");
            return false;
        }
        return true;
    }
}
