package io.github.tdmqhttp.camel;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.CastUtils;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a subscription with ReceiveMessage, one exchange per message, and acknowledges each message when its exchange
 * completes successfully. A failed exchange is not acknowledged: TDMQ delivers the message again after its ack timeout.
 * Acknowledgements travel in the background on up to maxAcksInFlight calls, so the route does not wait for them
 * unless they fall far behind; the consumer waits for those still pending when it stops.
 */
public class TdmqHttpConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpConsumer.class);
    /** Acknowledgements that may wait for a free call; beyond that the poller sends its own and slows down. */
    private static final int PENDING_ACKS_PER_CALL = 32;

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder ackFailures = new LongAdder();
    /** Received messages not yet started, over all pollers: what a CompleteAllTasks shutdown waits for. */
    private final AtomicInteger notStarted = new AtomicInteger();
    private volatile ExecutorService ackExecutor;

    public TdmqHttpConsumer(TdmqHttpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        this.retry = RetryPolicy.of(configuration);
    }

    @Override
    public TdmqHttpEndpoint getEndpoint() {
        return (TdmqHttpEndpoint) super.getEndpoint();
    }

    /** How many messages this consumer has acknowledged since it started. */
    public long getAcknowledgedCount() {
        return acknowledged.sum();
    }

    /** How many acknowledgements failed after every retry; those messages will be delivered again. */
    public long getAckFailureCount() {
        return ackFailures.sum();
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

    @Override
    public int getPendingExchangesSize() {
        // As the base class does, but counted over every poller rather than in one shared field.
        int answer = ShutdownRunningTask.CompleteAllTasks == shutdownRunningTask ? notStarted.get() : 0;
        return answer == 0 && isPolling() ? 1 : answer;
    }

    @Override
    protected void doStart() throws Exception {
        // A restarted consumer must not keep the previous shutdown's instruction to stop after the current exchange.
        shutdownRunningTask = null;
        if (configuration.isAutoAck()) {
            int calls = configuration.getMaxAcksInFlight();
            ThreadPoolProfile profile = new ThreadPoolProfile("tdmq-http-ack");
            profile.setPoolSize(calls);
            profile.setMaxPoolSize(calls);
            profile.setMaxQueueSize(calls * PENDING_ACKS_PER_CALL);
            profile.setAllowCoreThreadTimeOut(true);
            // Rejections are handled in onComplete: the thread that completed the exchange acknowledges itself.
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
            ackExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newThreadPool(this, "TdmqHttpAck[" + configuration.getTopic() + "]", profile);
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        ExecutorService executor = ackExecutor;
        ackExecutor = null;
        if (executor != null) {
            sendPendingAcknowledgements(executor);
        }
    }

    /**
     * Lets the acknowledgements of completed exchanges go out before the endpoint drops its client, for as long as
     * the context's shutdown timeout allows; those still waiting then are counted and logged, never dropped silently.
     */
    private void sendPendingAcknowledgements(ExecutorService executor) throws InterruptedException {
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        executors.shutdown(executor);
        long timeout = getEndpoint().getCamelContext().getShutdownStrategy().getTimeUnit()
                .toMillis(getEndpoint().getCamelContext().getShutdownStrategy().getTimeout());
        if (!executor.awaitTermination(timeout, TimeUnit.MILLISECONDS)) {
            int dropped = executors.shutdownNow(executor).size();
            ackFailures.add(dropped);
            LOG.warn("{} acknowledgement(s) of processed messages could not be sent before {} stopped; TDMQ will"
                     + " deliver those messages again", dropped, getEndpoint());
        }
    }

    @Override
    protected int poll() throws Exception {
        int processed = 0;
        boolean fullBatch;
        do {
            TdmqHttpGateway.ReceivedBatch batch = getEndpoint().gateway().receive(configuration.getTopic());
            if (batch.isIdle()) {
                LOG.trace("No message on {} for subscription {}", configuration.getTopic(),
                        configuration.getSubscription());
                break;
            }
            LOG.debug("Received {} message(s) from {} for subscription {} (request id {})", batch.messages().size(),
                    configuration.getTopic(), batch.subscription(), batch.requestId());
            processed += processBatch(CastUtils.cast(toExchanges(batch)));
            // A full batch means more are waiting: receive again now rather than after the scheduler's delay.
            fullBatch = batch.messages().size() >= configuration.getMaxMessagesPerPoll();
        } while (fullBatch && isPollAllowed() && isBatchAllowed());
        return processed;
    }

    private Queue<Exchange> toExchanges(TdmqHttpGateway.ReceivedBatch batch) {
        Queue<Exchange> exchanges = new ArrayDeque<>(batch.messages().size());
        for (TdmqHttpGateway.Received received : batch.messages()) {
            Exchange exchange = createExchange(false);
            Message message = exchange.getIn();
            message.setHeader(TdmqHttpConstants.MESSAGE_ID, received.messageId());
            message.setHeader(TdmqHttpConstants.TOPIC, configuration.getTopic());
            message.setHeader(TdmqHttpConstants.ACK_TOPIC, batch.ackTopic());
            message.setHeader(TdmqHttpConstants.SUBSCRIPTION, batch.subscription());
            message.setHeader(TdmqHttpConstants.REQUEST_ID, batch.requestId());
            exchange.setProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY,
                    new TdmqHttpReceipt(received.messageId(), batch.ackTopic(), batch.subscription()));
            try {
                message.setBody(PayloadCodec.decode(received.payload(), configuration.getPayloadEncoding(),
                        configuration.getTopic(), received.messageId()));
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

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        int total = exchanges.size();
        int started = 0;
        notStarted.addAndGet(total);
        try {
            for (int index = 0; index < total && isBatchAllowed(); index++) {
                Exchange exchange = (Exchange) exchanges.poll();
                notStarted.decrementAndGet();
                started++;
                exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
                exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
                exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == total - 1);
                if (configuration.isAutoAck()) {
                    exchange.getExchangeExtension().addOnCompletion(new AcknowledgeOnCompletion(
                            exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, TdmqHttpReceipt.class)));
                }
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("Error processing message "
                                                          + exchange.getIn().getHeader(TdmqHttpConstants.MESSAGE_ID)
                                                          + "; it was not acknowledged and TDMQ will deliver it again",
                            exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
            }
        } finally {
            notStarted.addAndGet(started - total);
        }
        if (started < total) {
            LOG.debug("Stopping: {} received message(s) of the batch were not processed and are left unacknowledged;"
                      + " TDMQ will deliver them again", total - started);
            exchanges.forEach(left -> releaseExchange((Exchange) left, false));
        }
        return started;
    }

    private void acknowledge(TdmqHttpReceipt receipt) {
        try {
            String requestId = retry.call(() -> getEndpoint().gateway().acknowledge(receipt.messageId(),
                    receipt.ackTopic(), receipt.subscription()));
            acknowledged.increment();
            LOG.trace("Acknowledged message {} on {} (request id {})", receipt.messageId(), receipt.ackTopic(),
                    requestId);
        } catch (RuntimeException e) {
            ackFailures.increment();
            String requestId = e instanceof TdmqHttpException failure ? failure.getRequestId() : null;
            LOG.warn("Could not acknowledge message {} on {} for subscription {} (request id {}): {}. TDMQ will"
                     + " deliver it again after its ack timeout; {} acknowledgement(s) failed so far",
                    receipt.messageId(), receipt.ackTopic(), receipt.subscription(), requestId, e.getMessage(),
                    ackFailures.sum());
        }
    }

    /** Acknowledges a message once its exchange succeeded; a failed exchange leaves it for redelivery. */
    private final class AcknowledgeOnCompletion extends SynchronizationAdapter {

        private final TdmqHttpReceipt receipt;

        AcknowledgeOnCompletion(TdmqHttpReceipt receipt) {
            this.receipt = receipt;
        }

        @Override
        public void onComplete(Exchange exchange) {
            ExecutorService executor = ackExecutor;
            if (executor != null) {
                try {
                    executor.execute(() -> acknowledge(receipt));
                    return;
                } catch (RejectedExecutionException e) {
                    // The queue is full (acks lag behind processing) or the consumer is stopping: acknowledge here,
                    // which also slows the poller down instead of letting unacknowledged messages pile up.
                }
            }
            acknowledge(receipt);
        }

        @Override
        public void onFailure(Exchange exchange) {
            LOG.debug("Message {} on {} failed and is not acknowledged; TDMQ will deliver it again",
                    receipt.messageId(), receipt.ackTopic());
        }
    }
}
