package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.CallPool;
import io.github.tdmqhttp.camel.client.PayloadCodec;
import io.github.tdmqhttp.camel.client.RetryPolicy;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.consumer.AckCapacity;
import io.github.tdmqhttp.camel.consumer.Settlements;
import io.github.tdmqhttp.camel.consumer.TdmqHttpFailureLog;
import io.github.tdmqhttp.camel.metrics.MetricsPublisher;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.LoggingExceptionHandler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.CastUtils;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a subscription with ReceiveMessage, one exchange per message, and acknowledges each message when its exchange
 * completes successfully. A failed exchange is not acknowledged: TDMQ delivers the message again after its ack timeout,
 * and after maxDeliveries failed deliveries the consumer moves it to the dead letter topic. Acknowledgements travel in
 * the background on up to maxAcksInFlight calls, so the route does not wait for them unless they fall far behind; the
 * consumer waits for those still pending when it stops.
 * <p>
 * Against hostile timings the consumer keeps three rules: it never starts an exchange for a message whose ack deadline
 * is too close (TDMQ is about to give it to someone else), it asks for fewer messages per poll while batches take
 * longer than half the ack timeout, and after a batch whose ids and payloads cannot be paired it receives one message
 * per call until that batch has come back, so that no payload holds its neighbours back.
 * <p>
 * Its figures ({@link TdmqHttpMetrics}) are attributes of its JMX MBean, lines of the tdmq-http dev console, Micrometer
 * meters when Micrometer is present, and details of its health check.
 * <p>
 * So that neither the round trip to the API nor a quiet topic costs time: while the topic is quiet, one
 * single-message receive waits on the server (it answers as soon as a message arrives) instead of the consumer
 * sleeping between polls; once messages come faster than that, it receives in batches. While a poller processes what
 * a receive brought, the next receive is already in flight, and while messages flow faster than one receive per round
 * trip brings them, up to maxReceivesInFlight are, as many as the measured round trip and processing time call for.
 * Receives started ahead count for nothing when the consumer stops: what they bring is left for redelivery.
 */
@ManagedResource(description = "Managed tdmq-http consumer")
public class TdmqHttpConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpConsumer.class);
    /** Acknowledgements that may wait for a free call; beyond that the poller sends its own and slows down. */
    private static final int PENDING_ACKS_PER_CALL = 32;
    /** The exchange property holding what the consumer needs of a message after its exchange: see {@link Delivery}. */
    static final String DELIVERY_PROPERTY = "CamelTdmqHttpDelivery";
    /** Part of the ack timeout kept free at the end of a deadline for the acknowledgement to travel, at most 1 s. */
    private static final int DEADLINE_MARGIN_DIVISOR = 10;
    private static final long MAX_DEADLINE_MARGIN = TimeUnit.SECONDS.toNanos(1);
    /** How long acknowledgements keep retrying once the consumer stops: a stop does not wait out an outage. */
    private static final long STOPPING_ACK_RETRIES = TimeUnit.SECONDS.toNanos(5);
    /**
     * The longest doStop waits for acknowledgements still on their way. Camel's shutdown strategy has waited for them
     * already (they count as pending exchanges); this covers a call in flight when that wait ended.
     */
    private static final long STOPPING_ACK_WAIT = TimeUnit.SECONDS.toMillis(10);
    /**
     * An idle answer that took at least this long was held by the server, waiting for a message: the next receive can
     * start at once and still cost few calls. A server that answers sooner gets the scheduler's delay in between, so
     * an idle consumer makes at most a few calls a second, whatever the server does.
     */
    static final long HELD_IDLE_RECEIVE = TimeUnit.MILLISECONDS.toNanos(250);
    /** Above the round trip by this much (and half a round trip), a single receive waited on the server for its message. */
    private static final long HELD_MARGIN = TimeUnit.MILLISECONDS.toNanos(10);

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private final long ackTimeout;
    private final long deadlineMargin;
    private final TdmqHttpMetrics metrics;
    private volatile TdmqHttpMetrics.Publication publication;
    /** Received messages not yet started, over all pollers: what a CompleteAllTasks shutdown waits for. */
    private final AtomicInteger notStarted = new AtomicInteger();
    /** Pollers holding received messages, from the answer to the end of their batch: what any shutdown waits for. */
    private final AtomicInteger holding = new AtomicInteger();
    /** How many messages a poll asks for: maxMessagesPerPoll, or fewer while batches outlast half the ack timeout. */
    private final AtomicInteger batchSize = new AtomicInteger();
    /** The payload bytes a batch receive asks for at most: maxNumBytes, or less after an answer was too large. */
    private volatile Integer receiveBytes;
    /** The most messages a poll asks for: maxMessagesPerPoll, lower for good once the service refused an answer. */
    private volatile int batchCeiling;
    /** The ids of a batch that could not be paired, awaited one message per call until they are back. */
    private final Set<String> awaitedIds = ConcurrentHashMap.newKeySet();
    /** Until when (System.nanoTime) the pollers receive one message per call; 0 when they receive batches. */
    private volatile long singleUntil;
    /** A moving average of how long an exchange takes, to tell whether the next one still fits before a deadline. */
    private volatile long exchangeNanos;
    private volatile ExecutorService ackExecutor;
    /** Hands acknowledgements and dead letter moves to the threads of {@link #ackExecutor}. */
    private volatile Settlements settlements;
    /** How many messages this consumer may hold unacknowledged, given its share of the ack quota. */
    private volatile AckCapacity capacity;
    /** The failures of acknowledgements, logged as a series of their own, apart from the polls'. */
    private volatile TdmqHttpFailureLog ackFailureLog;
    private volatile TdmqHttpDeliveryCountStore deliveryCounts;
    private volatile String deadLetterTopic;
    private volatile TdmqHttpFailureLog failureLog;
    /** When the consumer began to stop (System.nanoTime), while it stops; acknowledgements retry less from then on. */
    private volatile Long stoppingSince;
    /**
     * When Camel's shutdown strategy began to wait for this consumer (System.nanoTime): acknowledgements retry less
     * from then on too, so that an outage does not hold the shutdown for a whole ack timeout.
     */
    private volatile Long shutdownSince;
    /** Receives started ahead, oldest first, not yet taken by a poller. Guarded by itself. */
    private final Deque<Receive> receivesAhead = new ArrayDeque<>();
    private volatile ExecutorService receiveExecutor;
    private final LongAdder receivesStartedAhead = new LongAdder();
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
    /** Set by a poll whose receive the server held while the topic was idle: the next poll may start at once. */
    private final ThreadLocal<Boolean> heldIdle = ThreadLocal.withInitial(() -> Boolean.FALSE);

    public TdmqHttpConsumer(TdmqHttpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        this.metrics = new TdmqHttpMetrics(TdmqHttpMetrics.Role.consumer, endpoint.getEndpointKey(),
                endpoint.getConfiguration(), endpoint::currentRate);
        this.retry = RetryPolicy.of(configuration).onRetry(metrics::retried);
        this.ackTimeout = TimeUnit.MILLISECONDS.toNanos(configuration.getAckTimeout());
        this.deadlineMargin = Math.min(MAX_DEADLINE_MARGIN, ackTimeout / DEADLINE_MARGIN_DIVISOR);
    }

    @Override
    public TdmqHttpEndpoint getEndpoint() {
        return (TdmqHttpEndpoint) super.getEndpoint();
    }

    /** The figures of this consumer, for the dev console and the health check. */
    TdmqHttpMetrics metrics() {
        return metrics;
    }

    /** How many messages this consumer has received. */
    @ManagedAttribute(description = "Messages received from TDMQ")
    public long getReceivedCount() {
        return metrics.received();
    }

    /** How many exchanges the route finished, failed or not. */
    @ManagedAttribute(description = "Exchanges the route finished, failed or not")
    public long getProcessedCount() {
        return metrics.processed();
    }

    /** How many exchanges failed, so that their message was not acknowledged. */
    @ManagedAttribute(description = "Exchanges that failed, so their message was not acknowledged")
    public long getFailedCount() {
        return metrics.failed();
    }

    /** How many messages this consumer has acknowledged since it started. */
    @ManagedAttribute(description = "Messages acknowledged")
    public long getAcknowledgedCount() {
        return metrics.acknowledged();
    }

    /** How many acknowledgements failed after every retry; those messages will be delivered again. */
    @ManagedAttribute(description = "Acknowledgements that failed after every retry; TDMQ delivers those messages"
                                    + " again")
    public long getAckFailureCount() {
        return metrics.ackFailures();
    }

    /** How many deliveries were of a message this application had seen before (a delivery count above 1). */
    @ManagedAttribute(description = "Deliveries of a message this application had seen before (delivery count above"
                                    + " 1)")
    public long getRedeliveredCount() {
        return metrics.redelivered();
    }

    /** How many messages were moved to the dead letter topic after maxDeliveries failed deliveries. */
    @ManagedAttribute(description = "Messages moved to the dead letter topic after maxDeliveries failed deliveries")
    public long getDeadLetteredCount() {
        return metrics.deadLettered();
    }

    /** How many received messages were left unprocessed because their ack deadline was too close. */
    @ManagedAttribute(description = "Received messages left unprocessed because their ack deadline was too close")
    public long getSkippedPastDeadlineCount() {
        return metrics.skippedPastDeadline();
    }

    /** How many batches could not be split into messages because a payload held the ### separator. */
    @ManagedAttribute(description = "Batches refused because their ids and payloads could not be paired (###)")
    public long getUnpairedBatchCount() {
        return metrics.unpairedBatches();
    }

    /** How many polls found no message. */
    @ManagedAttribute(description = "Polls that found no message")
    public long getIdlePollCount() {
        return metrics.idlePolls();
    }

    /** How many calls this consumer tried again by itself (acknowledgements, dead letter sends). */
    @ManagedAttribute(description = "Calls tried again by the component itself")
    public long getRetryCount() {
        return metrics.retries();
    }

    /** How many calls TDMQ refused for its rate limit. */
    @ManagedAttribute(description = "Calls TDMQ refused for its rate limit")
    public long getThrottledCount() {
        return metrics.throttled();
    }

    /** How many API calls of this consumer wait for their answer now. */
    @ManagedAttribute(description = "API calls waiting for their answer")
    public long getCallsInFlight() {
        return metrics.callsInFlight();
    }

    /** How many acknowledgements (and dead letter moves) are queued or on their way. */
    @ManagedAttribute(description = "Acknowledgements queued or on their way")
    public int getAcksWaiting() {
        Settlements pending = settlements;
        return pending != null ? pending.pending() : 0;
    }

    /** How many received messages this consumer holds now, not yet acknowledged (or asked for by a receive). */
    @ManagedAttribute(description = "Received messages held and not yet acknowledged, with those a receive in flight"
                                    + " asked for")
    public int getUnacknowledgedCount() {
        AckCapacity current = capacity;
        return current != null ? current.held() : 0;
    }

    /** The most messages this consumer may hold unacknowledged now: its share of the ack quota, see maxUnacknowledgedMessages. */
    @ManagedAttribute(description = "The most received messages this consumer may hold unacknowledged now")
    public int getUnacknowledgedLimit() {
        AckCapacity current = capacity;
        return current != null ? current.limit() : configuration.getMaxUnacknowledgedMessages();
    }

    /** The calls a second the client-side limiter allows ReceiveMessage now; 0 when it has no limit. */
    @ManagedAttribute(description = "Calls a second the client-side limiter allows ReceiveMessage now (0: no limit)")
    public double getCurrentReceiveRate() {
        return metrics.currentRate(TdmqHttpGateway.RECEIVE_MESSAGE);
    }

    /** When the last poll succeeded (epoch ms); 0 before the first. */
    @ManagedAttribute(description = "When the last poll succeeded (milliseconds since the epoch; 0 before the first)")
    public long getLastSuccessfulPoll() {
        return metrics.lastSuccessfulPoll();
    }

    /** How many polls in a row failed; 0 while polls work. */
    @ManagedAttribute(description = "Polls in a row that failed (0 while polls work)")
    public long getConsecutivePollFailures() {
        return metrics.consecutivePollFailures();
    }

    /** The error code of the last failed poll while polls fail; null while they work. */
    @ManagedAttribute(description = "The error code of the last failed poll, while polls fail")
    public String getLastPollErrorCode() {
        TdmqHttpException failure = metrics.lastPollFailure();
        return failure != null ? failure.getErrorCode() : null;
    }

    /** The average time of a call of each action, and its percentiles, in one line per action. */
    @ManagedAttribute(description = "Calls per API action: count, failures, mean, p50, p95, p99 and max in ms")
    public String getCallLatency() {
        return metrics.callLines();
    }

    /** How many messages the next poll asks for. */
    @ManagedAttribute(description = "Messages the next poll asks for")
    public int getCurrentBatchSize() {
        return isSingleMode() ? 1 : batchSize.get();
    }

    /** How many messages the next receive asks for: 1 while the topic is quiet, a batch while messages flow. */
    int nextReceiveSize() {
        return flowing ? getCurrentBatchSize() : 1;
    }

    /** How many receives were started ahead, while a poller processed the answer of the one before. */
    public long getReceivesStartedAheadCount() {
        return receivesStartedAhead.sum();
    }

    /** How many receives the consumer now keeps in flight ahead of its pollers. */
    public int getReceivesInFlightTarget() {
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

    /** The measured round trip of calls the server answers at once, in milliseconds; 0 before the first. */
    public long getRoundTripMillis() {
        return TimeUnit.NANOSECONDS.toMillis(roundTripNanos);
    }

    /** The dead letter topic this consumer moves messages to, once started with maxDeliveries above 0. */
    @ManagedAttribute(description = "The dead letter topic, with maxDeliveries above 0")
    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    @Override
    protected void doBuild() throws Exception {
        // Camel's check, with details of its own: why polls fail, and when the last one worked.
        if (getHealthCheck() == null) {
            setHealthCheck(new TdmqHttpConsumerHealthCheck(this, "consumer:" + getRouteId(), metrics,
                    this::getUnacknowledgedCount, this::getUnacknowledgedLimit));
        }
        super.doBuild();
    }

    @Override
    protected void afterConfigureScheduler(ScheduledPollConsumerScheduler scheduler, boolean newScheduler) {
        if (newScheduler && scheduler instanceof DefaultScheduledPollConsumerScheduler defaultScheduler) {
            defaultScheduler.setConcurrentConsumers(configuration.getConcurrentConsumers());
            defaultScheduler.setPoolSize(Math.max(defaultScheduler.getPoolSize(),
                    configuration.getConcurrentConsumers()));
        } else if (configuration.getConcurrentConsumers() > 1) {
            LOG.warn("concurrentConsumers={} has no effect on {}: the scheduler {} runs one poller. Use Camel's default"
                     + " scheduler for parallel pollers", configuration.getConcurrentConsumers(), getEndpoint(),
                    scheduler.getClass().getSimpleName());
        }
    }

    /**
     * What a shutdown waits for: the pollers that hold received messages (until their current exchange ends, or
     * their whole batch with CompleteAllTasks). Unlike the base class, a poller waiting for the answer to a receive
     * counts for nothing: the answer can take up to readTimeout, and messages that arrive after the stop are left
     * unacknowledged for redelivery, which loses nothing. Counting it made every stop wait for a receive in flight.
     */
    @Override
    public int getPendingExchangesSize() {
        int notYetStarted = ShutdownRunningTask.CompleteAllTasks == shutdownRunningTask ? notStarted.get() : 0;
        // Acknowledgements of processed messages are waited for too, within the shutdown strategy's own timeout.
        return Math.max(notYetStarted, holding.get()) + getAcksWaiting();
    }

    @Override
    protected void doStart() throws Exception {
        // A restarted consumer must not keep the previous shutdown's instruction to stop after the current exchange.
        shutdownRunningTask = null;
        stoppingSince = null;
        synchronized (receivesAhead) {
            receivesAhead.clear();
        }
        shutdownSince = null;
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
        deliveryCounts = configuration.getDeliveryCountStore() != null
                ? configuration.getDeliveryCountStore() : new TdmqHttpMemoryDeliveryCountStore();
        deadLetterTopic = configuration.getMaxDeliveries() > 0 ? deadLetterTopicOf(configuration) : null;
        capacity = new AckCapacity(getEndpoint().gateway().rateLimiter(TdmqHttpGateway.ACKNOWLEDGE_MESSAGE),
                configuration.getMaxUnacknowledgedMessages(), ackTimeout, configuration.getMaxAcksInFlight(),
                () -> roundTripNanos);
        quietenFailureLogging();
        metrics.routeId(getRouteId());
        metrics.acksWaitingFrom(this::getAcksWaiting);
        publication = MetricsPublisher.publish(getEndpoint().getCamelContext(), metrics);
        getEndpoint().getComponent().observe(metrics);
        if (configuration.isAutoAck()) {
            // Threads as calls need them; acknowledgements that find every call busy wait, up to PENDING_ACKS_PER_CALL
            // per call, and past that the thread that completed the exchange acknowledges itself (in settle()). The
            // pool's own queue only bridges a lane that starts while a thread is on its way back to the pool.
            int calls = configuration.getMaxAcksInFlight();
            ackExecutor = CallPool.create(getEndpoint().getCamelContext(),
                    "TdmqHttpAck[" + configuration.getTopic() + "]", calls, calls);
            settlements = new Settlements(ackExecutor, calls, calls * PENDING_ACKS_PER_CALL, () -> roundTripNanos);
        }
        // The receives started ahead: never more than maxReceivesInFlight, so no queue is needed; a receive that finds
        // every thread busy is made by the poller itself.
        ThreadPoolProfile receives = new ThreadPoolProfile("tdmq-http-receive");
        receives.setPoolSize(configuration.getMaxReceivesInFlight());
        receives.setMaxPoolSize(configuration.getMaxReceivesInFlight());
        receives.setMaxQueueSize(0);
        receives.setAllowCoreThreadTimeOut(true);
        receives.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        receiveExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newThreadPool(this, "TdmqHttpReceive[" + configuration.getTopic() + "]", receives);
        super.doStart();
    }

    /**
     * Replaces Camel's default exception handler, which logs every failed poll with its stack trace, by one that logs
     * an outage as a series. A handler the user configured (or the bridge to the route's error handler) is kept.
     */
    private void quietenFailureLogging() {
        ExceptionHandler handler = getExceptionHandler();
        if (handler instanceof TdmqHttpFailureLog log) {
            failureLog = log;
        } else if (handler == null || handler instanceof LoggingExceptionHandler) {
            ExceptionHandler fallback = handler != null
                    ? handler : new LoggingExceptionHandler(getEndpoint().getCamelContext(), getClass());
            failureLog = new TdmqHttpFailureLog(fallback, describe());
            setExceptionHandler(failureLog);
        }
        // Failed acknowledgements are a series of their own: an ack outage must not end or hide a poll outage.
        ackFailureLog = failureLog != null
                ? new TdmqHttpFailureLog(failureLog, "acknowledgements of " + describe()) : null;
    }

    /** Where a failed acknowledgement or dead letter move goes: its own series, or the handler the user set. */
    private ExceptionHandler settlementFailures() {
        TdmqHttpFailureLog log = ackFailureLog;
        return log != null ? log : getExceptionHandler();
    }

    /** How log lines name this consumer: shorter than the endpoint URI, and enough to find it. */
    private String describe() {
        return "tdmq-http consumer of " + configuration.getTopic() + " (subscription " + configuration.getSubscription()
               + ")";
    }

    /** The configured dead letter topic, completed to a full path, or TDMQ's own name for it (deadLetterTopicNaming). */
    static String deadLetterTopicOf(TdmqHttpConfiguration configuration) {
        String[] parts = configuration.getTopic().split("/");
        String namespace = parts[0] + "/" + parts[1] + "/";
        String configured = configuration.getDeadLetterTopic();
        if (ObjectHelper.isEmpty(configured)) {
            return namespace + configuration.getDeadLetterTopicNaming().topicName(parts[2], configuration.getSubscription());
        }
        return configured.contains("/") ? configured.strip() : namespace + configured.strip();
    }

    @Override
    protected void doStop() throws Exception {
        stoppingSince = System.nanoTime();
        dropReceivesAhead();
        super.doStop();
        ExecutorService executor = ackExecutor;
        Settlements pending = settlements;
        // From here on an exchange that completes late acknowledges its message itself.
        settlements = null;
        ackExecutor = null;
        if (executor != null) {
            sendPendingAcknowledgements(executor, pending);
        }
        AckCapacity held = capacity;
        if (held != null) {
            held.close();
        }
        TdmqHttpMetrics.Publication published = publication;
        publication = null;
        if (published != null) {
            published.close();
        }
        getEndpoint().getComponent().forget(metrics);
    }

    @Override
    protected void doResume() throws Exception {
        // A suspension the shutdown strategy waited for is over: acknowledgements retry as long as they may again.
        shutdownSince = null;
        super.doResume();
    }

    @Override
    protected void doSuspend() throws Exception {
        // What receives started ahead bring would wait for the resume, past its ack deadline: leave it for redelivery.
        cancelReceivesAhead();
        super.doSuspend();
    }

    /**
     * Stops the receives started ahead without waiting for them, and their threads: messages they bring are never
     * processed, so TDMQ delivers them again after the ack timeout, as any message received but not started when the
     * consumer stops.
     */
    private void dropReceivesAhead() {
        ExecutorService executor = receiveExecutor;
        receiveExecutor = null;
        cancelReceivesAhead();
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
        }
    }

    private void cancelReceivesAhead() {
        synchronized (receivesAhead) {
            receivesAhead.forEach(receive -> {
                receive.answer().cancel(true);
                // Whatever it brings is never processed: it is left for redelivery and holds no room.
                capacity.release(receive.asked());
            });
            receivesAhead.clear();
        }
    }

    /**
     * Lets the acknowledgements of completed exchanges go out before the endpoint drops its client, for as long as
     * the context's shutdown timeout allows; those still waiting then are counted and logged, never dropped silently.
     */
    private void sendPendingAcknowledgements(ExecutorService executor, Settlements pending)
            throws InterruptedException {
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        // Nothing waits behind a call at work: no new acknowledgement comes to start a lane for it. The lanes at work
        // take what waits before they end; none starts after the shutdown.
        pending.spreadOut();
        executors.shutdown(executor);
        long timeout = Math.min(STOPPING_ACK_WAIT, getEndpoint().getCamelContext().getShutdownStrategy().getTimeUnit()
                .toMillis(getEndpoint().getCamelContext().getShutdownStrategy().getTimeout()));
        if (!executor.awaitTermination(timeout, TimeUnit.MILLISECONDS)) {
            int dropped = pending.close();
            executors.shutdownNow(executor);
            metrics.ackFailed(dropped);
            LOG.warn("{} acknowledgement(s) of processed messages could not be sent before {} stopped; TDMQ will"
                     + " deliver those messages again", dropped, getEndpoint());
        }
    }

    @Override
    public void run() {
        // The scheduler cancels a periodic task for good when it throws, and the route would still say Started: an
        // Error that escapes even Camel's own catch (an OutOfMemoryError while logging one) must not end polling.
        try {
            // After an idle receive the server held, the next poll starts at once, not after the scheduler's delay:
            // one receive always waits on the server for the next message, and each poll still ends as Camel counts
            // it (health, error counters, backoff).
            do {
                heldIdle.set(Boolean.FALSE);
                super.run();
            } while (heldIdle.get() && isRunAllowed() && !isSuspendingOrSuspended() && stoppingSince == null);
        } catch (Throwable e) {
            try {
                LOG.error("{} in a poll of {}; polling goes on", e.getClass().getSimpleName(), getEndpoint());
            } catch (Throwable ignored) {
                // Nothing more can be done while memory is short; the next poll logs again.
            }
        }
    }

    @Override
    protected int poll() throws Exception {
        int processed = 0;
        try {
            while (isPollAllowed() && isBatchAllowed()) {
                Receive receive = nextReceive();
                if (receive == null) {
                    // The consumer stops while it waited for acknowledgements to make room.
                    break;
                }
                TdmqHttpGateway.ReceivedBatch batch;
                try {
                    batch = receive.await();
                } catch (TdmqHttpException e) {
                    capacity.release(receive.asked());
                    if (TdmqHttpErrorCodes.RESPONSE_SIZE_LIMIT_EXCEEDED.equals(e.getErrorCode())) {
                        askForLess(receive.asked());
                    }
                    // Noted for the health check (why, since when, how many in a row) before the scheduler sees it.
                    metrics.pollFailed(e);
                    throw e;
                } catch (CancellationException | InterruptedException stopping) {
                    capacity.release(receive.asked());
                    if (stopping instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    // The consumer stops or suspends: what that receive brings is left for redelivery.
                    break;
                } catch (RuntimeException | Error unexpected) {
                    capacity.release(receive.asked());
                    throw unexpected;
                }
                // Room was taken for what the receive asked; what it did not bring is free again, and each message
                // it brought gives its room back when it is settled.
                capacity.release(receive.asked() - batch.messages().size());
                metrics.pollSucceeded();
                callSucceeded();
                long took = receive.took();
                if (batch.isIdle()) {
                    metrics.idlePoll();
                    LOG.trace("No message on {} for subscription {}", configuration.getTopic(),
                            configuration.getSubscription());
                    flowing = false;
                    // An empty batch turns the next receive into one that waits on the server, which can start at
                    // once; so can the one after an empty single receive the server held.
                    heldIdle.set(receive.asked() > 1 || took >= HELD_IDLE_RECEIVE);
                    break;
                }
                if (batch.isUnpaired()) {
                    receiveSinglyUntilBack(batch);
                    continue;
                }
                batchChars = batch.messages().stream().mapToLong(message -> message.payload().length()).sum();
                noteAnswer(receive.asked(), batch.messages().size(), took);
                // The next receive travels while this batch is processed.
                startReceivesAhead();
                LOG.debug("Received {} message(s) from {} for subscription {} (request id {})",
                        batch.messages().size(), configuration.getTopic(), batch.subscription(), batch.requestId());
                if (receive.asked() == 1 && !awaitedIds.isEmpty()) {
                    awaitedIds.remove(TdmqHttpMessageId.canonical(batch.messages().get(0).messageId()));
                }
                metrics.received(batch.messages().size());
                long processing = System.nanoTime();
                // Counted before the check: a stop that saw no poller holding messages had suspended this consumer
                // first, so the check below sees it, and the batch is left for redelivery rather than started.
                holding.incrementAndGet();
                try {
                    if (!isPollAllowed()) {
                        LOG.debug("{} is stopping: {} message(s) received meanwhile are left for redelivery",
                                describe(), batch.messages().size());
                        capacity.release(batch.messages().size());
                        break;
                    }
                    Queue<Exchange> exchanges;
                    try {
                        exchanges = toExchanges(batch, receive.startedAt());
                    } catch (RuntimeException | Error e) {
                        // None of the batch reached the route: all of it comes back after the ack timeout.
                        capacity.release(batch.messages().size());
                        throw e;
                    }
                    processed += processBatch(CastUtils.cast(exchanges));
                } finally {
                    holding.decrementAndGet();
                }
                long now = System.nanoTime();
                long average = batchNanos;
                batchNanos = average == 0 ? now - processing : average + (now - processing - average) / 4;
                adaptBatchSize(receive.asked(), batch.messages().size(), now - receive.startedAt());
            }
        } catch (OutOfMemoryError e) {
            // The batch is unreachable once this unwinds; ask for half as much from now on, and let the scheduler's
            // error handling (health DOWN, the exception handler's ERROR line) see it.
            batchSize.updateAndGet(size -> Math.max(1, size / 2));
            throw e;
        }
        return processed;
    }

    /**
     * One ReceiveMessage call: the oldest of those started ahead, or one this poller makes itself, on its own
     * thread, when none is.
     */
    private Receive nextReceive() {
        synchronized (receivesAhead) {
            Receive ahead = receivesAhead.pollFirst();
            if (ahead != null) {
                return ahead;
            }
        }
        // Asks for no more than acknowledgements can settle in time; with no room, waits until they make some.
        int asked;
        try {
            asked = capacity.take(nextReceiveSize(), () -> isPollAllowed() && stoppingSince == null);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (asked == 0) {
            return null;
        }
        // Taken before the call: the server's ack timeout starts no earlier than the call, so no later.
        long startedAt = System.nanoTime();
        try {
            TdmqHttpGateway.ReceivedBatch batch = metrics.call(TdmqHttpGateway.RECEIVE_MESSAGE,
                    () -> getEndpoint().gateway().receive(configuration.getTopic(), asked, receiveBytes));
            return new Receive(asked, startedAt, CompletableFuture.completedFuture(batch), System.nanoTime());
        } catch (RuntimeException | Error e) {
            // Handed to the poll like any failure, which gives the room back.
            return new Receive(asked, startedAt, CompletableFuture.failedFuture(e), System.nanoTime());
        }
    }

    /** Starts receives in the background until as many are in flight ahead as the pollers need. */
    private void startReceivesAhead() {
        ExecutorService executor = receiveExecutor;
        if (executor == null || stoppingSince != null) {
            return;
        }
        int wanted = getReceivesInFlightTarget();
        synchronized (receivesAhead) {
            while (receivesAhead.size() < wanted) {
                int asked = capacity.tryTake(nextReceiveSize());
                if (asked == 0) {
                    // Acknowledgements must make room first: the poller's next receive waits for it.
                    return;
                }
                long startedAt = System.nanoTime();
                long[] finishedAt = new long[1];
                Future<TdmqHttpGateway.ReceivedBatch> answer;
                try {
                    answer = executor.submit(() -> {
                        try {
                            return metrics.call(TdmqHttpGateway.RECEIVE_MESSAGE,
                                    () -> getEndpoint().gateway().receive(configuration.getTopic(), asked, receiveBytes));
                        } finally {
                            finishedAt[0] = System.nanoTime();
                        }
                    });
                } catch (RejectedExecutionException full) {
                    // Every receive thread is busy, or the consumer stops: the next poll receives by itself.
                    capacity.release(asked);
                    return;
                }
                receivesAhead.addLast(new Receive(asked, startedAt, answer, finishedAt));
                receivesStartedAhead.increment();
            }
        }
    }

    /**
     * Learns from an answer with messages whether they flow: a full batch, or a single message that was already
     * waiting (its answer came within about a round trip), means more are coming; a batch that did not fill, or a
     * single message the server waited for, means the topic is quiet enough for a receive waiting on the server.
     */
    private void noteAnswer(int asked, int received, long took) {
        if (asked > 1) {
            boolean full = received >= asked;
            long trip = roundTripNanos;
            if (full && trip == 0) {
                // Until an acknowledgement measures it, a full batch is the best guess of a round trip.
                noteRoundTrip(took);
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
    private void noteRoundTrip(long took) {
        long average = roundTripNanos;
        roundTripNanos = average == 0 ? took : average + (took - average) / 8;
    }

    private void callSucceeded() {
        TdmqHttpFailureLog log = failureLog;
        if (log != null) {
            log.succeeded();
        }
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
            LOG.info("{} receives batches again{}", describe(), missing == 0 ? ": the unpaired batch is back"
                    : " although " + missing + " message(s) of the unpaired batch did not come back in time");
            return false;
        }
        return true;
    }

    /**
     * A batch whose payloads contain the separator cannot be delivered: none of it reaches the route, so TDMQ gives
     * it back after the ack timeout. Until then every poller asks for one message per call, which is never ambiguous,
     * so the bad payload and its neighbours each reach the route on their own.
     */
    private void receiveSinglyUntilBack(TdmqHttpGateway.ReceivedBatch batch) {
        metrics.unpairedBatch();
        batch.unpairedIds().forEach(id -> awaitedIds.add(TdmqHttpMessageId.canonical(id)));
        // Back after one ack timeout; a second one allows for the backlog before them.
        singleUntil = System.nanoTime() + 2 * ackTimeout;
        LOG.warn("{}: a batch of {} messages ({}) cannot be split, because a payload contains ### or starts or ends"
                 + " with #, so none was delivered. TDMQ delivers them again after the ack timeout; until then this"
                 + " consumer receives one message per call. Use payloadEncoding=BASE64 on both sides to avoid it"
                 + " (request id {})", describe(), batch.unpairedIds().size(),
                TdmqHttpGateway.namedIds(batch.unpairedIds()), batch.requestId());
    }

    /**
     * The service refused an answer as too large (it publishes no limit): ask for half as many messages and half as
     * many bytes from now on (until a restart: quick batches do not grow past it again), so that the next polls get
     * through rather than fail the same way.
     */
    private void askForLess(int asked) {
        int messages = batchSize.updateAndGet(size -> Math.max(1, Math.min(size, asked) / 2));
        batchCeiling = Math.min(batchCeiling, messages);
        Integer bytes = receiveBytes;
        int asBefore = bytes != null && bytes > 0 ? bytes : TdmqHttpConfiguration.DEFAULT_MAX_NUM_BYTES;
        int halved = Math.max(1024, asBefore / 2);
        receiveBytes = halved;
        LOG.warn("{}: TDMQ refused to answer a receive of {} message(s) as too large (ResponseSizeLimitExceeded):"
                 + " asking for {} message(s) and {} bytes at most from now on. Lower maxMessagesPerPoll or maxNumBytes"
                 + " to start there", describe(), asked, messages, halved);
    }

    /** Fewer messages per poll while batches outlast half the ack timeout, more again while they are quick. */
    private void adaptBatchSize(int asked, int received, long elapsed) {
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
     * A ReceiveMessage call: made by a poller itself (its answer is already there) or started ahead in the background.
     *
     * @param finishedAt when the call ended (System.nanoTime), written by the thread that made it
     */
    private record Receive(int asked, long startedAt, Future<TdmqHttpGateway.ReceivedBatch> answer,
                           long[] finishedAt) {

        Receive(int asked, long startedAt, Future<TdmqHttpGateway.ReceivedBatch> answer, long finishedAt) {
            this(asked, startedAt, answer, new long[] { finishedAt });
        }

        /** The answer; the call's failure as it was thrown. */
        TdmqHttpGateway.ReceivedBatch await() throws InterruptedException {
            try {
                return answer.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** How long the call took, from its start to its answer. */
        long took() {
            return finishedAt[0] - startedAt;
        }
    }

    /**
     * What the consumer keeps of a received message for after its exchange: the receipt to acknowledge it, its
     * canonical id (the key of its delivery count), the payload as received (for the dead letter topic) and when it
     * was received (its ack deadline follows). Work queued to settle a message keeps everything but the payload.
     */
    record Delivery(TdmqHttpReceipt receipt, String messageId, String payload, long receivedAt) {
    }

    private Queue<Exchange> toExchanges(TdmqHttpGateway.ReceivedBatch batch, long receivedAt) {
        Queue<Exchange> exchanges = new ArrayDeque<>(batch.messages().size());
        for (TdmqHttpGateway.Received received : batch.messages()) {
            Exchange exchange = createExchange(false);
            Message message = exchange.getIn();
            String messageId = TdmqHttpMessageId.canonical(received.messageId());
            // One id whatever call brought the message: Camel's error handler and an idempotent consumer see it.
            message.setMessageId(messageId);
            message.setHeader(TdmqHttpConstants.MESSAGE_ID, messageId);
            message.setHeader(TdmqHttpConstants.RECEIPT_ID, received.messageId());
            message.setHeader(TdmqHttpConstants.TOPIC, configuration.getTopic());
            message.setHeader(TdmqHttpConstants.ACK_TOPIC, batch.ackTopic());
            message.setHeader(TdmqHttpConstants.SUBSCRIPTION, batch.subscription());
            message.setHeader(TdmqHttpConstants.REQUEST_ID, batch.requestId());
            TdmqHttpReceipt receipt = new TdmqHttpReceipt(received.messageId(), batch.ackTopic(), batch.subscription());
            exchange.setProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, receipt);
            exchange.setProperty(DELIVERY_PROPERTY, new Delivery(receipt, messageId, received.payload(), receivedAt));
            try {
                message.setBody(PayloadCodec.decode(received.payload(), configuration.getPayloadEncoding(),
                        configuration.getTopic(), messageId));
            } catch (TdmqHttpException e) {
                // A payload this consumer cannot decode goes to the route's error handling with its raw text, so a
                // dead letter channel can take it instead of it coming back forever.
                message.setBody(received.payload());
                exchange.setException(e);
            }
            exchanges.add(exchange);
        }
        return exchanges;
    }

    /**
     * Hands a batch to the route. The messages of one receive share one ack deadline: those that could not finish
     * before it are left out before the first starts, so that CamelBatchSize counts the exchanges the route sees and
     * the last of them is CamelBatchComplete. Only an exchange far slower than the average makes a planned message
     * miss its deadline; it is then left out too, with those after it, rather than processed twice, and that batch
     * (like one cut short by a stop) has no exchange marked CamelBatchComplete.
     */
    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        int received = exchanges.size();
        List<Exchange> batch = new ArrayList<>(received);
        for (Object item : exchanges) {
            Exchange exchange = (Exchange) item;
            Delivery delivery = exchange.getProperty(DELIVERY_PROPERTY, Delivery.class);
            if (delivery != null && settledAsDeadLetter(delivery)) {
                releaseExchange(exchange, false);
            } else {
                batch.add(exchange);
            }
        }
        exchanges.clear();
        int planned = batch.isEmpty() ? 0 : fitting(batch.size(), batch.get(0));
        int started = 0;
        int taken = 0;
        boolean late = false;
        notStarted.addAndGet(planned);
        try {
            for (int index = 0; index < planned && isBatchAllowed(); index++) {
                Exchange exchange = batch.get(index);
                notStarted.decrementAndGet();
                taken++;
                Delivery delivery = exchange.getProperty(DELIVERY_PROPERTY, Delivery.class);
                if (delivery != null && isTooCloseToDeadline(delivery)) {
                    late = true;
                    break;
                }
                started++;
                exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
                exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, planned);
                exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == planned - 1);
                process(exchange, delivery);
            }
        } finally {
            notStarted.addAndGet(taken - planned);
        }
        // Past the plan, or from a late one on, messages are left for their deadline; between, for a stop.
        int lateFrom = late ? started : planned;
        leave(batch.subList(started, lateFrom), false, received);
        leave(batch.subList(lateFrom, batch.size()), true, received);
        return started;
    }

    /** How many messages of a batch can still finish before their deadline, one after the other. */
    private int fitting(int total, Exchange first) {
        Delivery delivery = first.getProperty(DELIVERY_PROPERTY, Delivery.class);
        if (delivery == null) {
            return total;
        }
        long left = delivery.receivedAt() + ackTimeout - deadlineMargin - capacity.expectedAckWaitNanos()
                    - System.nanoTime();
        return fitting(total, left, exchangeNanos);
    }

    /**
     * How many of {@code total} exchanges of {@code eachNanos} each end within {@code leftNanos}: all while the
     * duration of an exchange is not known yet (0), none when no time is left.
     */
    static int fitting(int total, long leftNanos, long eachNanos) {
        if (leftNanos <= 0) {
            return 0;
        }
        return eachNanos <= 0 ? total : (int) Math.min(total, leftNanos / eachNanos);
    }

    /** Releases messages received and not processed: TDMQ delivers them again after their ack timeout. */
    private void leave(List<Exchange> notProcessed, boolean pastDeadline, int received) {
        if (notProcessed.isEmpty()) {
            return;
        }
        List<String> ids = notProcessed.stream().map(exchange -> exchange.getIn().getMessageId()).toList();
        capacity.release(notProcessed.size());
        notProcessed.forEach(exchange -> releaseExchange(exchange, false));
        if (pastDeadline) {
            metrics.skippedPastDeadline(ids.size());
            LOG.warn("{}: {} of {} received message(s) ({}) were not processed because their ack deadline ({} ms after"
                     + " the receive) was too close; TDMQ delivers them again. Lower maxMessagesPerPoll, or set"
                     + " ackTimeout to the subscription's value if it is longer", describe(), ids.size(), received,
                    TdmqHttpGateway.namedIds(ids), configuration.getAckTimeout());
        } else {
            LOG.debug("Stopping: {} received message(s) of the batch were not processed and are left unacknowledged;"
                      + " TDMQ will deliver them again", ids.size());
        }
    }

    /**
     * Whether an exchange started now would likely end, and its acknowledgement be sent, after TDMQ has given the
     * message to someone else. The acknowledgement's wait counts: behind the limiter of a quota that other consumers
     * share, it can be longer than the exchange.
     */
    private boolean isTooCloseToDeadline(Delivery delivery) {
        long needed = exchangeNanos + deadlineMargin + capacity.expectedAckWaitNanos();
        return System.nanoTime() + needed - (delivery.receivedAt() + ackTimeout) >= 0;
    }

    /**
     * A message this application moved to the dead letter topic comes back when the acknowledgement after the move
     * failed: it is acknowledged again, not processed nor moved a second time.
     */
    private boolean settledAsDeadLetter(Delivery delivery) {
        if (deadLetterTopic == null || !configuration.isAutoAck() || !isDeadLettered(delivery)) {
            return false;
        }
        LOG.debug("Message {} of {} is in the dead letter topic already: acknowledging it again",
                delivery.messageId(), configuration.getTopic());
        settleLater(delivery.receipt(), delivery.messageId(), delivery.receivedAt());
        return true;
    }

    /** Whether the store marks the message as moved; a store that fails says no (it may be moved again). */
    private boolean isDeadLettered(Delivery delivery) {
        try {
            return deliveryCounts.isDeadLettered(configuration.getTopic(), delivery.receipt().subscription(),
                    delivery.messageId());
        } catch (RuntimeException e) {
            LOG.warn("The delivery count store failed to say whether message {} was moved to the dead letter topic:"
                     + " {}", delivery.messageId(), e.toString());
            return false;
        }
    }

    /** The deliveries of a message, this one included; 1 when the store fails (more tries, never fewer). */
    private int delivered(Delivery delivery) {
        try {
            return deliveryCounts.delivered(configuration.getTopic(), delivery.receipt().subscription(),
                    delivery.messageId());
        } catch (RuntimeException e) {
            LOG.warn("The delivery count store failed to count a delivery of message {}: {}", delivery.messageId(),
                    e.toString());
            return 1;
        }
    }

    /** Forgets a message's count (and mark) in the store; a store that fails only keeps them longer. */
    private void settled(String subscription, String messageId) {
        try {
            deliveryCounts.settled(configuration.getTopic(), subscription, messageId);
        } catch (RuntimeException e) {
            LOG.warn("The delivery count store failed to forget message {}: {}", messageId, e.toString());
        }
    }

    private void process(Exchange exchange, Delivery delivery) {
        int deliveries = 1;
        if (delivery != null) {
            deliveries = delivered(delivery);
            exchange.getIn().setHeader(TdmqHttpConstants.DELIVERY_COUNT, deliveries);
            exchange.getExchangeExtension().addOnCompletion(new Settle(delivery, deliveries));
        }
        long start = System.nanoTime();
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        long took = System.nanoTime() - start;
        metrics.processed(exchange.getException() != null, deliveries);
        long average = exchangeNanos;
        exchangeNanos = average == 0 ? took : average + (took - average) / 4;
        if (exchange.getException() != null) {
            // The route's error handler has logged the failure already; one more stack trace would only repeat it.
            LOG.debug("Message {} failed (delivery {}) and is not acknowledged: {}",
                    exchange.getIn().getHeader(TdmqHttpConstants.MESSAGE_ID), deliveries,
                    exchange.getException().getMessage());
        }
        releaseExchange(exchange, false);
    }

    /** Runs work for a completed exchange in the background, or here when the background is full or stopping. */
    private void settle(Runnable work) {
        Settlements background = settlements;
        if (background != null && background.offer(work)) {
            return;
        }
        // Acknowledgements lag far behind processing, or the consumer is stopping: do it here, which also slows the
        // poller down instead of letting unacknowledged messages pile up.
        work.run();
    }

    /** Queues the acknowledgement of a message; the work holds its receipt and deadline, not its payload. */
    private void settleLater(TdmqHttpReceipt receipt, String messageId, long receivedAt) {
        capacity.acknowledgementOffered();
        settle(() -> {
            capacity.acknowledgementStarted();
            acknowledge(receipt, messageId, receivedAt);
        });
    }

    /**
     * Acknowledges a message, retrying while TDMQ has not yet given it to anyone else: an outage shorter than the ack
     * timeout then causes no redelivery. Acknowledgements are idempotent, so a retry is always safe. The message's
     * delivery count (and its dead letter mark) is forgotten only once the acknowledgement went through.
     */
    private void acknowledge(TdmqHttpReceipt receipt, String messageId, long receivedAt) {
        try {
            TdmqHttpGateway.Acknowledged acknowledged = retry.callUntil(() -> ackDeadline(receivedAt),
                    () -> metrics.call(TdmqHttpGateway.ACKNOWLEDGE_MESSAGE,
                            () -> getEndpoint().gateway().acknowledge(receipt.messageId(), receipt.ackTopic(),
                                    receipt.subscription())));
            noteRoundTrip(acknowledged.callNanos());
            metrics.messageAcknowledged();
            acknowledgementSucceeded();
            settled(receipt.subscription(), messageId);
            LOG.trace("Acknowledged message {} on {} (request id {})", messageId, receipt.ackTopic(),
                    acknowledged.requestId());
        } catch (RuntimeException e) {
            metrics.ackFailed(e);
            settlementFailures().handleException("Could not acknowledge message " + messageId + " on "
                                                 + receipt.ackTopic() + " for subscription "
                                                 + receipt.subscription()
                                                 + "; TDMQ will deliver it again after its ack timeout",
                    e);
        } finally {
            capacity.acknowledgementDone();
            capacity.release(1);
        }
    }

    private void acknowledgementSucceeded() {
        TdmqHttpFailureLog log = ackFailureLog;
        if (log != null) {
            log.succeeded();
        }
    }

    /** Until its ack timeout TDMQ has not given the message to anyone else; a shutdown or stop shortens the wait. */
    private long ackDeadline(long receivedAt) {
        long deadline = receivedAt + ackTimeout;
        Long stopping = shutdownSince != null ? shutdownSince : stoppingSince;
        return stopping != null && stopping + STOPPING_ACK_RETRIES - deadline < 0 ? stopping + STOPPING_ACK_RETRIES
                : deadline;
    }

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        // The strategy now waits for the pending exchanges, acknowledgements included (getPendingExchangesSize).
        if (shutdownSince == null) {
            shutdownSince = System.nanoTime();
        }
        return super.deferShutdown(shutdownRunningTask);
    }

    /**
     * Sends a message that failed maxDeliveries times to the dead letter topic, as it was received, and then
     * acknowledges it: one unit, retried until the message's ack deadline. When the send fails the message is not
     * acknowledged, so it is not lost: it comes back and is tried again. When the send worked and the acknowledgement
     * failed, the message is marked as dead-lettered until an acknowledgement goes through, so that it is not
     * processed or moved again when it comes back.
     */
    private void deadLetter(Delivery delivery, int deliveries) {
        TdmqHttpReceipt receipt = delivery.receipt();
        String target = deadLetterTopic;
        if (System.nanoTime() + deadlineMargin - ackDeadline(delivery.receivedAt()) >= 0) {
            // TDMQ may have given the message to someone else, who would move it too: it comes back here instead.
            capacity.acknowledgementDone();
            capacity.release(1);
            LOG.warn("Message {} of {} failed {} deliveries but its ack deadline passed before it could be moved to {};"
                     + " it is moved when it comes back", delivery.messageId(), configuration.getTopic(), deliveries,
                    target);
            return;
        }
        TdmqHttpGateway.Sent sent;
        try {
            TdmqHttpGateway gateway = getEndpoint().gateway();
            // A try starts only while its answer, and the acknowledgement after it, can come before the deadline.
            sent = retry.callUntil(() -> ackDeadline(delivery.receivedAt()) - deadlineMargin - 2 * roundTripNanos,
                    () -> metrics.call(gateway.sendAction(), () -> gateway.send(target, delivery.payload())));
        } catch (RuntimeException e) {
            capacity.acknowledgementDone();
            capacity.release(1);
            settlementFailures().handleException("Could not move message " + delivery.messageId() + " to the dead"
                                                 + " letter topic " + target + " after " + deliveries
                                                 + " failed deliveries; it is not acknowledged and TDMQ will"
                                                 + " deliver it again", e);
            return;
        }
        try {
            deliveryCounts.deadLettered(configuration.getTopic(), receipt.subscription(), delivery.messageId());
        } catch (RuntimeException e) {
            LOG.warn("The delivery count store failed to mark message {} as moved: if its acknowledgement fails it"
                     + " will be moved again: {}", delivery.messageId(), e.toString());
        }
        metrics.messageDeadLettered();
        LOG.warn("Message {} of {} failed {} deliveries and was moved to {} as message {}", delivery.messageId(),
                configuration.getTopic(), deliveries, target, TdmqHttpMessageId.canonical(sent.messageId()));
        acknowledge(receipt, delivery.messageId(), delivery.receivedAt());
    }

    /**
     * Settles a message once its exchange completes: acknowledges it after a success (with autoAck), moves it to the
     * dead letter topic after its last failure, and gives back its room in any case.
     */
    private final class Settle extends SynchronizationAdapter {

        private final Delivery delivery;
        private final int deliveries;

        Settle(Delivery delivery, int deliveries) {
            this.delivery = delivery;
            this.deliveries = deliveries;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (!configuration.isAutoAck()) {
                // The route acknowledges it (operation=acknowledge), or TDMQ delivers it again.
                capacity.release(1);
                return;
            }
            // A success ends the count of failures; only a dead letter's mark waits for its acknowledgement.
            settled(delivery.receipt().subscription(), delivery.messageId());
            settleLater(delivery.receipt(), delivery.messageId(), delivery.receivedAt());
        }

        @Override
        public void onFailure(Exchange exchange) {
            if (configuration.isAutoAck() && deadLetterTopic != null && deliveries >= configuration.getMaxDeliveries()) {
                capacity.acknowledgementOffered();
                settle(() -> {
                    capacity.acknowledgementStarted();
                    deadLetter(delivery, deliveries);
                });
                return;
            }
            capacity.release(1);
            LOG.debug("Message {} on {} failed and is not acknowledged; TDMQ will deliver it again",
                    delivery.messageId(), delivery.receipt().ackTopic());
        }
    }
}
