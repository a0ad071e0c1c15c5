package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpActions;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpDeliveryCountStore;
import io.github.tdmqhttp.camel.TdmqHttpMessageId;
import io.github.tdmqhttp.camel.TdmqHttpReceipt;
import io.github.tdmqhttp.camel.client.CallPool;
import io.github.tdmqhttp.camel.client.RetryPolicy;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles each message once its exchange completes: acknowledges it after a success (with autoAck), moves it to the
 * dead letter topic after its last failed delivery, and gives back its room in any case. Acknowledgements travel in
 * the background on up to maxAcksInFlight calls, so the route does not wait for them unless they fall far behind; a
 * stop waits for those still pending. Keeps each message's delivery count in the store. Internal.
 */
public final class Settler {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.tdmqhttp.camel.TdmqHttpConsumer");
    /** Acknowledgements that may wait for a free call; beyond that the poller sends its own and slows down. */
    private static final int PENDING_ACKS_PER_CALL = 32;
    /**
     * The longest a stop waits for acknowledgements still on their way. Camel's shutdown strategy has waited for them
     * already (they count as pending exchanges); this covers a call in flight when that wait ended.
     */
    private static final long STOPPING_ACK_WAIT = TimeUnit.SECONDS.toMillis(10);

    private final TdmqHttpConfiguration configuration;
    private final TdmqHttpMetrics metrics;
    private final RetryPolicy retry;
    private final AckDeadlines deadlines;
    private final ReceiveSizing sizing;
    private final Supplier<TdmqHttpGateway> gateway;

    /** How log lines name the consumer. */
    private volatile String consumer;
    private volatile AckCapacity capacity;
    private volatile TdmqHttpDeliveryCountStore deliveryCounts;
    private volatile String deadLetterTopic;
    private volatile ExecutorService ackExecutor;
    /** Hands acknowledgements and dead letter moves to the threads of {@link #ackExecutor}. */
    private volatile Settlements settlements;
    /** The failures of acknowledgements, logged as a series of their own, apart from the polls'; or null. */
    private volatile TdmqHttpFailureLog ackFailureLog;
    /**
     * Where failed acknowledgements and moves go: the series above, or the handler the consumer has at the time of the
     * failure (a user may set it after the start).
     */
    private volatile Supplier<ExceptionHandler> failures;

    public Settler(TdmqHttpConfiguration configuration, TdmqHttpMetrics metrics, RetryPolicy retry,
                   AckDeadlines deadlines, ReceiveSizing sizing, Supplier<TdmqHttpGateway> gateway) {
        this.configuration = configuration;
        this.metrics = metrics;
        this.retry = retry;
        this.deadlines = deadlines;
        this.sizing = sizing;
        this.gateway = gateway;
    }

    /**
     * The consumer starts.
     *
     * @param consumer        how log lines name the consumer
     * @param deadLetterTopic where messages go after maxDeliveries failed deliveries; null for nowhere
     * @param ackFailureLog   the series failed acknowledgements are logged as; null to hand them to {@code failures}
     */
    public void start(CamelContext context, String consumer, AckCapacity capacity,
                      TdmqHttpDeliveryCountStore deliveryCounts, String deadLetterTopic,
                      TdmqHttpFailureLog ackFailureLog, Supplier<ExceptionHandler> failures) {
        this.consumer = consumer;
        this.capacity = capacity;
        this.deliveryCounts = deliveryCounts;
        this.deadLetterTopic = deadLetterTopic;
        this.ackFailureLog = ackFailureLog;
        this.failures = ackFailureLog != null ? () -> ackFailureLog : failures;
        if (configuration.isAutoAck()) {
            // Threads as calls need them; acknowledgements that find every call busy wait, up to PENDING_ACKS_PER_CALL
            // per call, and past that the thread that completed the exchange acknowledges itself (in settle()). The
            // pool's own queue only bridges a lane that starts while a thread is on its way back to the pool.
            int calls = configuration.getMaxAcksInFlight();
            ackExecutor = CallPool.create(context, "TdmqHttpAck[" + configuration.getTopic() + "]", calls, calls);
            settlements = new Settlements(ackExecutor, calls, calls * PENDING_ACKS_PER_CALL, sizing::roundTripNanos);
        }
    }

    /**
     * The consumer stops: lets the acknowledgements of completed exchanges go out before the endpoint drops its
     * client, for as long as the context's shutdown timeout allows (at most 10 s more); those still waiting then are
     * counted and logged, never dropped silently. From here on an exchange that completes late acknowledges its
     * message itself.
     */
    public void stop(CamelContext context, Object consumer) throws InterruptedException {
        ExecutorService executor = ackExecutor;
        Settlements pending = settlements;
        settlements = null;
        ackExecutor = null;
        if (executor != null) {
            ExecutorServiceManager executors = context.getExecutorServiceManager();
            // Nothing waits behind a call at work: no new acknowledgement comes to start a lane for it. The lanes at
            // work take what waits before they end; none starts after the shutdown.
            pending.spreadOut();
            executors.shutdown(executor);
            long timeout = Math.min(STOPPING_ACK_WAIT, context.getShutdownStrategy().getTimeUnit()
                    .toMillis(context.getShutdownStrategy().getTimeout()));
            if (!executor.awaitTermination(timeout, TimeUnit.MILLISECONDS)) {
                int dropped = pending.close();
                executors.shutdownNow(executor);
                metrics.ackFailed(dropped);
                LOG.warn("{} acknowledgement(s) of processed messages could not be sent before {} stopped; TDMQ will"
                         + " deliver those messages again", dropped, consumer);
            }
        }
        AckCapacity held = capacity;
        if (held != null) {
            held.close();
        }
    }

    /** How many acknowledgements (and dead letter moves) are queued or on their way. */
    public int pending() {
        Settlements current = settlements;
        return current != null ? current.pending() : 0;
    }

    /**
     * Counts a delivery of the message and has it settled when its exchange completes.
     *
     * @return how many times the message has been delivered, this delivery included
     */
    public int delivering(Exchange exchange, Delivery delivery) {
        return delivering(exchange, exchange.getIn(), delivery);
    }

    /**
     * Counts a delivery of a message handed to the route inside another exchange (a batch), and has it settled when
     * that exchange completes.
     *
     * @param settledWith the exchange whose outcome settles the message
     * @param message     the message, which gets its delivery count as a header
     * @return how many times the message has been delivered, this delivery included
     */
    public int delivering(Exchange settledWith, Message message, Delivery delivery) {
        int deliveries = delivered(delivery);
        message.setHeader(TdmqHttpConstants.DELIVERY_COUNT, deliveries);
        settledWith.getExchangeExtension().addOnCompletion(new Settle(delivery, deliveries));
        return deliveries;
    }

    /**
     * A message this application moved to the dead letter topic comes back when the acknowledgement after the move
     * failed: it is acknowledged again, not processed nor moved a second time.
     *
     * @return whether the message was such a one, and its acknowledgement is on its way
     */
    public boolean settledAsDeadLetter(Delivery delivery) {
        if (deadLetterTopic == null || !configuration.isAutoAck() || !isDeadLettered(delivery)) {
            return false;
        }
        LOG.debug("Message {} of {} is in the dead letter topic already: acknowledging it again",
                delivery.messageId(), configuration.getTopic());
        settleLater(delivery.receipt(), delivery.messageId(), delivery.receivedAt());
        return true;
    }

    /**
     * The exchanges of a receive whose messages are to be processed: those of messages this application moved to the
     * dead letter topic already are acknowledged again ({@link #settledAsDeadLetter}) and released.
     */
    public List<Exchange> withoutDeadLetters(Collection<Exchange> exchanges, Consumer<Exchange> release) {
        List<Exchange> toProcess = new ArrayList<>(exchanges.size());
        for (Exchange exchange : exchanges) {
            Delivery delivery = Delivery.of(exchange);
            if (delivery != null && settledAsDeadLetter(delivery)) {
                release.accept(exchange);
            } else {
                toProcess.add(exchange);
            }
        }
        return toProcess;
    }

    /**
     * Leaves messages received and not processed for TDMQ to deliver again after their ack timeout: gives back their
     * room, releases their exchanges, and says why (a deadline too close warns; a stop is routine).
     *
     * @param received how many messages the receive brought
     */
    public void leave(List<Exchange> notProcessed, boolean pastDeadline, int received, Consumer<Exchange> release) {
        if (notProcessed.isEmpty()) {
            return;
        }
        List<String> ids = notProcessed.stream().map(exchange -> exchange.getIn().getMessageId()).toList();
        capacity.release(notProcessed.size());
        notProcessed.forEach(release);
        if (pastDeadline) {
            metrics.skippedPastDeadline(ids.size());
            LOG.warn("{}: {} of {} received message(s) ({}) were not processed because their ack deadline ({} ms after"
                     + " the receive) was too close; TDMQ delivers them again. Lower maxMessagesPerPoll, or set"
                     + " ackTimeout to the subscription's value if it is longer", consumer, ids.size(), received,
                    TdmqHttpGateway.namedIds(ids), configuration.getAckTimeout());
        } else {
            LOG.debug("Stopping: {} received message(s) of the batch were not processed and are left unacknowledged;"
                      + " TDMQ will deliver them again", ids.size());
        }
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
            TdmqHttpGateway.Acknowledged acknowledged = retry.callUntil(() -> deadlines.ackDeadline(receivedAt),
                    () -> metrics.call(TdmqHttpActions.ACKNOWLEDGE_MESSAGE,
                            () -> gateway.get().acknowledge(receipt.messageId(), receipt.ackTopic(),
                                    receipt.subscription())));
            sizing.roundTrip(acknowledged.callNanos());
            metrics.messageAcknowledged();
            TdmqHttpFailureLog log = ackFailureLog;
            if (log != null) {
                log.succeeded();
            }
            settled(receipt.subscription(), messageId);
            LOG.trace("Acknowledged message {} on {} (request id {})", messageId, receipt.ackTopic(),
                    acknowledged.requestId());
        } catch (RuntimeException e) {
            metrics.ackFailed(e);
            failures.get().handleException("Could not acknowledge message " + messageId + " on " + receipt.ackTopic()
                                     + " for subscription " + receipt.subscription()
                                     + "; TDMQ will deliver it again after its ack timeout", e);
        } finally {
            capacity.acknowledgementDone();
            capacity.release(1);
        }
    }

    /**
     * Sends a message that failed maxDeliveries times to the dead letter topic, as it was received, and then
     * acknowledges it: one unit, retried until the message's ack deadline. When the send fails the message is not
     * acknowledged, so it is not lost: it comes back and is tried again. When the send worked and the acknowledgement
     * failed, the message is marked as dead-lettered until an acknowledgement goes through, so that it is not
     * processed or moved again when it comes back.
     */
    private void deadLetter(Delivery delivery, int deliveries) {
        boolean moved = false;
        try {
            moved = moveToDeadLetterTopic(delivery, deliveries);
        } finally {
            if (!moved) {
                // Not acknowledged, so the room goes back now (also when an Error escaped the move).
                capacity.acknowledgementDone();
                capacity.release(1);
            }
        }
        if (moved) {
            acknowledge(delivery.receipt(), delivery.messageId(), delivery.receivedAt());
        }
    }

    /** Sends the message to the dead letter topic; false when it was not sent, and must not be acknowledged. */
    private boolean moveToDeadLetterTopic(Delivery delivery, int deliveries) {
        String target = deadLetterTopic;
        if (deadlines.isPast(delivery.receivedAt())) {
            // TDMQ may have given the message to someone else, who would move it too: it comes back here instead.
            LOG.warn("Message {} of {} failed {} deliveries but its ack deadline passed before it could be moved to {};"
                     + " it is moved when it comes back", delivery.messageId(), configuration.getTopic(), deliveries,
                    target);
            return false;
        }
        TdmqHttpGateway.Sent sent;
        try {
            TdmqHttpGateway calls = gateway.get();
            // A try starts only while its answer, and the acknowledgement after it, can come before the deadline.
            sent = retry.callUntil(() -> deadlines.lastStartBeforeAck(delivery.receivedAt(), sizing.roundTripNanos()),
                    () -> metrics.call(calls.sendAction(), () -> calls.send(target, delivery.payload())));
        } catch (RuntimeException e) {
            failures.get().handleException("Could not move message " + delivery.messageId() + " to the dead letter"
                                           + " topic " + target + " after " + deliveries + " failed deliveries; it is"
                                           + " not acknowledged and TDMQ will deliver it again", e);
            return false;
        }
        try {
            deliveryCounts.deadLettered(configuration.getTopic(), delivery.receipt().subscription(),
                    delivery.messageId());
        } catch (RuntimeException e) {
            LOG.warn("The delivery count store failed to mark message {} as moved: if its acknowledgement fails it"
                     + " will be moved again: {}", delivery.messageId(), e.toString());
        }
        metrics.messageDeadLettered();
        LOG.warn("Message {} of {} failed {} deliveries and was moved to {} as message {}", delivery.messageId(),
                configuration.getTopic(), deliveries, target, TdmqHttpMessageId.canonical(sent.messageId()));
        return true;
    }

    /** What happens to a message when its exchange completes. */
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
