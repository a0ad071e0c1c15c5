package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.consumer.AckCapacity;
import io.github.tdmqhttp.camel.consumer.AckDeadlines;
import io.github.tdmqhttp.camel.consumer.BatchExchanges;
import io.github.tdmqhttp.camel.consumer.Delivery;
import io.github.tdmqhttp.camel.consumer.ReceivePipeline;
import io.github.tdmqhttp.camel.consumer.ReceiveSizing;
import io.github.tdmqhttp.camel.consumer.ReceivedExchanges;
import io.github.tdmqhttp.camel.consumer.Settler;
import io.github.tdmqhttp.camel.consumer.TdmqHttpFailureLog;
import io.github.tdmqhttp.camel.metrics.MetricsPublisher;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.util.CastUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a subscription with ReceiveMessage, one exchange per message, and acknowledges in the background each message
 * whose exchange succeeded; a stop waits for those acknowledgements. A failed message is not acknowledged: TDMQ delivers
 * it again after its ack timeout, and after maxDeliveries failed deliveries it goes to the dead letter topic ({@link
 * Settler}).
 * <p>
 * Against hostile timings the consumer keeps three rules: it never starts an exchange for a message whose ack deadline
 * is too close ({@link AckDeadlines}), it holds no more unacknowledged messages than its share of the ack quota can
 * settle in time ({@link AckCapacity}), and it sizes each receive from what the answers taught it ({@link
 * ReceiveSizing}): one message per call while the topic is quiet (the server holds the call until a message comes),
 * batches while messages flow, fewer while batches outlast half the ack timeout, one per call after a batch that
 * cannot be split. While a poller processes a batch, the next receives are in flight ({@link ReceivePipeline}). With
 * exchangePerBatch every receive is a batch receive, and its messages are one exchange ({@link BatchExchanges}).
 * <p>
 * Its figures ({@link TdmqHttpMetrics}) are attributes of its JMX MBean, lines of the tdmq-http dev console, Micrometer
 * meters when Micrometer is present, and details of its health check.
 */
@ManagedResource(description = "Managed tdmq-http consumer")
public class TdmqHttpConsumer extends TdmqHttpConsumerAttributes {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpConsumer.class);
    /**
     * An idle answer that took at least this long was held by the server, waiting for a message: the next receive can
     * start at once and still cost few calls. A server that answers sooner gets the scheduler's delay in between, so
     * an idle consumer makes at most a few calls a second, whatever the server does.
     */
    static final long HELD_IDLE_RECEIVE = TimeUnit.MILLISECONDS.toNanos(250);

    private volatile TdmqHttpMetrics.Publication publication;
    private volatile TdmqHttpFailureLog failureLog;
    /** Received messages not yet started, over all pollers: what a CompleteAllTasks shutdown waits for. */
    private final AtomicInteger notStarted = new AtomicInteger();
    /** Pollers holding received messages, from the answer to the end of their batch: what any shutdown waits for. */
    private final AtomicInteger holding = new AtomicInteger();
    /** Set by a poll whose receive the server held while the topic was idle: the next poll may start at once. */
    private final ThreadLocal<Boolean> heldIdle = ThreadLocal.withInitial(() -> Boolean.FALSE);

    public TdmqHttpConsumer(TdmqHttpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    // Lifecycle

    /**
     * What a shutdown waits for: the pollers that hold received messages (until their current exchange ends, or
     * their whole batch with CompleteAllTasks), and the acknowledgements on their way. Unlike the base class, a poller
     * waiting for the answer to a receive counts for nothing: the answer can take up to readTimeout, and messages that
     * arrive after the stop are left unacknowledged for redelivery, which loses nothing.
     */
    @Override
    public int getPendingExchangesSize() {
        int notYetStarted = ShutdownRunningTask.CompleteAllTasks == shutdownRunningTask ? notStarted.get() : 0;
        return Math.max(notYetStarted, holding.get()) + getAcksWaiting();
    }

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        deadlines.shutdownWaits();
        return super.deferShutdown(shutdownRunningTask);
    }

    @Override
    protected void doStart() throws Exception {
        // A restarted consumer must not keep the previous shutdown's instruction to stop after the current exchange.
        shutdownRunningTask = null;
        deadlines.started();
        sizing.reset();
        capacity = new AckCapacity(getEndpoint().gateway().rateLimiter(TdmqHttpActions.ACKNOWLEDGE_MESSAGE),
                configuration.getMaxUnacknowledgedMessages(), deadlines.ackTimeout(),
                configuration.getMaxAcksInFlight(), sizing::roundTripNanos);
        // An outage is logged as a series of lines; failed acknowledgements as a series of their own, so that an ack
        // outage neither ends nor hides a poll outage.
        failureLog = TdmqHttpFailureLog.installOn(this, describe());
        TdmqHttpFailureLog ackFailureLog = failureLog != null
                ? new TdmqHttpFailureLog(failureLog, "acknowledgements of " + describe()) : null;
        settler.start(getEndpoint().getCamelContext(), describe(), capacity,
                configuration.getDeliveryCountStore() != null ? configuration.getDeliveryCountStore()
                        : new TdmqHttpMemoryDeliveryCountStore(), getDeadLetterTopic(), ackFailureLog,
                this::getExceptionHandler);
        receives.start(getEndpoint().getCamelContext(), this, capacity);
        metrics.routeId(getRouteId());
        metrics.acksWaitingFrom(this::getAcksWaiting);
        publication = MetricsPublisher.publish(getEndpoint().getCamelContext(), metrics);
        getEndpoint().getComponent().observe(metrics);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        deadlines.stopping();
        receives.stop(getEndpoint().getCamelContext());
        super.doStop();
        settler.stop(getEndpoint().getCamelContext(), getEndpoint());
        TdmqHttpMetrics.Publication published = publication;
        publication = null;
        if (published != null) {
            published.close();
        }
        getEndpoint().getComponent().forget(metrics);
    }

    @Override
    protected void doResume() throws Exception {
        deadlines.resumed();
        super.doResume();
    }

    @Override
    protected void doSuspend() throws Exception {
        // What receives started ahead bring would wait for the resume, past its ack deadline: leave it for redelivery.
        receives.cancel();
        super.doSuspend();
    }

    // The poll loop

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
            } while (heldIdle.get() && isRunAllowed() && !isSuspendingOrSuspended() && !deadlines.isStopping());
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
                ReceivePipeline.Receive receive = receives.next(this::isPollAllowed);
                if (receive == null) {
                    // The consumer stops while it waited for acknowledgements to make room.
                    break;
                }
                TdmqHttpGateway.ReceivedBatch batch = receives.answerOf(receive);
                if (batch == null) {
                    // The consumer stops or suspends: what that receive brings is left for redelivery.
                    break;
                }
                TdmqHttpFailureLog log = failureLog;
                if (log != null) {
                    log.succeeded();
                }
                if (batch.isIdle()) {
                    metrics.idlePoll();
                    sizing.idle();
                    // An empty batch turns the next receive into one that waits on the server, which can start at
                    // once; so can the one after an empty single receive the server held.
                    heldIdle.set(receive.asked() > 1 && !configuration.isExchangePerBatch()
                                 || receive.took() >= HELD_IDLE_RECEIVE);
                    break;
                }
                if (batch.isUnpaired()) {
                    sizing.unpaired(batch);
                    continue;
                }
                sizing.answered(receive.asked(), batch, receive.took());
                // The next receive travels while this batch is processed.
                receives.startAhead();
                LOG.debug("Received {} message(s) from {} for subscription {} (request id {})",
                        batch.messages().size(), configuration.getTopic(), batch.subscription(), batch.requestId());
                metrics.received(batch.messages().size());
                long processing = System.nanoTime();
                processed += hold(batch, receive.startedAt());
                if (!isPollAllowed()) {
                    // Left, or cut short, by a stop or suspend: its time says nothing about the next batch's size.
                    break;
                }
                long now = System.nanoTime();
                sizing.processed(receive.asked(), batch.messages().size(), now - processing,
                        now - receive.startedAt());
            }
        } catch (OutOfMemoryError e) {
            // The batch is unreachable once this unwinds; ask for half as much from now on, and let the scheduler's
            // error handling (health DOWN, the exception handler's ERROR line) see it.
            sizing.outOfMemory();
            throw e;
        }
        return processed;
    }

    /** Processes a received batch while counted as holding messages, which a stop waits for. */
    private int hold(TdmqHttpGateway.ReceivedBatch batch, long receivedAt) throws Exception {
        // Counted before the check: a stop that saw no poller holding messages suspended this consumer first.
        holding.incrementAndGet();
        try {
            if (!isPollAllowed()) {
                LOG.debug("{} is stopping: {} message(s) received meanwhile are left for redelivery", describe(),
                        batch.messages().size());
                capacity.release(batch.messages().size());
                return 0;
            }
            Queue<Exchange> exchanges;
            try {
                exchanges = ReceivedExchanges.of(batch, receivedAt, configuration, getEndpoint().codec(),
                        () -> createExchange(false));
            } catch (RuntimeException | Error e) {
                // None of the batch reached the route: all of it comes back after the ack timeout.
                capacity.release(batch.messages().size());
                throw e;
            }
            return processBatch(CastUtils.cast(exchanges));
        } finally {
            holding.decrementAndGet();
        }
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
        List<Exchange> batch = settler.withoutDeadLetters(CastUtils.cast(exchanges), this::release);
        exchanges.clear();
        if (configuration.isExchangePerBatch()) {
            return processAsOne(batch, received);
        }
        int planned = batch.isEmpty() ? 0 : deadlines.fittingBefore(batch.size(), Delivery.receivedAt(batch.get(0)),
                capacity.expectedAckWaitNanos());
        int started = 0;
        boolean late = false;
        notStarted.addAndGet(planned);
        try {
            for (int index = 0; index < planned && isBatchAllowed(); index++) {
                Exchange exchange = batch.get(index);
                notStarted.decrementAndGet();
                if (deadlines.isTooCloseForAnExchange(Delivery.receivedAt(exchange), capacity.expectedAckWaitNanos())) {
                    late = true;
                    break;
                }
                started++;
                exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
                exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, planned);
                exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == planned - 1);
                process(exchange);
            }
        } finally {
            // Also when an Error escapes the route: the messages not started give their room back.
            notStarted.addAndGet(started + (late ? 1 : 0) - planned);
            // Past the plan, or from a late one on, messages are left for their deadline; between, for a stop.
            int lateFrom = late ? started : Math.max(started, planned);
            settler.leave(batch.subList(started, lateFrom), false, received, this::release);
            settler.leave(batch.subList(lateFrom, batch.size()), true, received, this::release);
        }
        return started;
    }

    private void process(Exchange exchange) {
        Delivery delivery = Delivery.of(exchange);
        run(exchange, List.of(delivery != null ? settler.delivering(exchange, delivery) : 1));
    }

    /** exchangePerBatch: the messages as one exchange, each settled by its outcome ({@link BatchExchanges}). */
    private int processAsOne(List<Exchange> messages, int received) {
        // A message whose payload cannot be decoded goes to the route alone, so that it cannot hold its batch back.
        List<Exchange> undecodable = BatchExchanges.takeUndecodable(messages);
        undecodable.forEach(this::process);
        boolean late = !messages.isEmpty() && deadlines.isTooCloseForAnExchange(Delivery.receivedAt(messages.get(0)),
                capacity.expectedAckWaitNanos());
        if (messages.isEmpty() || late || !isBatchAllowed()) {
            settler.leave(messages, late, received, this::release);
            return undecodable.size();
        }
        Exchange exchange;
        try {
            exchange = BatchExchanges.of(createExchange(false), messages, settler);
        } catch (RuntimeException | Error e) {
            settler.leave(messages, false, received, this::release);
            throw e;
        }
        messages.forEach(this::release);
        run(exchange, CastUtils.cast(exchange.getIn().getHeader(TdmqHttpConstants.DELIVERY_COUNTS, List.class)));
        return undecodable.size() + messages.size();
    }

    /** Runs the route on an exchange that holds messages delivered {@code deliveries} times, then releases it. */
    private void run(Exchange exchange, List<Integer> deliveries) {
        long start = System.nanoTime();
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        deadlines.exchangeTook(System.nanoTime() - start);
        boolean failed = exchange.getException() != null;
        deliveries.forEach(count -> metrics.processed(failed, count));
        if (failed) {
            // The route's error handler has logged the failure already; one more stack trace would only repeat it.
            LOG.debug("Exchange {} of {} message(s) failed (deliveries {}); they are not acknowledged: {}",
                    exchange.getExchangeId(), deliveries.size(), deliveries, exchange.getException().getMessage());
        }
        releaseExchange(exchange, false);
    }

    private void release(Exchange exchange) {
        releaseExchange(exchange, false);
    }
}
