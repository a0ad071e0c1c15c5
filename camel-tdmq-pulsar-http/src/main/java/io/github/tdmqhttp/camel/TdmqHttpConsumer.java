package io.github.tdmqhttp.camel;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.CastUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a subscription with ReceiveMessage, one exchange per message, and acknowledges each message when its exchange
 * completes successfully. A failed exchange is not acknowledged: TDMQ delivers the message again after its ack timeout.
 * Acknowledgements travel in the background on up to maxAcksInFlight calls, so the route never waits for them; the
 * consumer waits for those still pending when it stops.
 */
public class TdmqHttpConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpConsumer.class);
    /** Acknowledgements that may wait for a free call; beyond that the poller sends its own and slows down. */
    private static final int PENDING_ACKS_PER_CALL = 32;

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder ackFailures = new LongAdder();
    private ExecutorService ackExecutor;

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
        }
    }

    @Override
    protected void doStart() throws Exception {
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
        if (ackExecutor != null) {
            // Let the acknowledgements of completed exchanges go out before the endpoint drops its client.
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(ackExecutor);
            ackExecutor = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        // Reset, so that a previous shutdown attempt does not stop this poll's batch.
        shutdownRunningTask = null;
        pendingExchanges = 0;
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
        for (int index = 0; index < total && isBatchAllowed(); index++) {
            Exchange exchange = (Exchange) exchanges.poll();
            exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
            exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
            exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == total - 1);
            pendingExchanges = total - index - 1;
            if (configuration.isAutoAck()) {
                exchange.getExchangeExtension().addOnCompletion(new AcknowledgeOnCompletion(
                        exchange.getIn().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class),
                        exchange.getIn().getHeader(TdmqHttpConstants.ACK_TOPIC, String.class),
                        exchange.getIn().getHeader(TdmqHttpConstants.SUBSCRIPTION, String.class)));
            }
            started++;
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
        if (started < total) {
            LOG.debug("Stopping: {} received message(s) of the batch were not processed and are left unacknowledged;"
                      + " TDMQ will deliver them again", total - started);
            exchanges.forEach(left -> releaseExchange((Exchange) left, false));
        }
        pendingExchanges = 0;
        return started;
    }

    private void acknowledge(String messageId, String ackTopic, String subscription) {
        try {
            String requestId = retry.call(() -> getEndpoint().gateway().acknowledge(messageId, ackTopic, subscription));
            acknowledged.increment();
            LOG.trace("Acknowledged message {} on {} (request id {})", messageId, ackTopic, requestId);
        } catch (RuntimeException e) {
            ackFailures.increment();
            String requestId = e instanceof TdmqHttpException failure ? failure.getRequestId() : null;
            LOG.warn("Could not acknowledge message {} on {} for subscription {} (request id {}): {}. TDMQ will"
                     + " deliver it again after its ack timeout; {} acknowledgement(s) failed so far",
                    messageId, ackTopic, subscription, requestId, e.getMessage(), ackFailures.sum());
        }
    }

    /** Acknowledges a message once its exchange succeeded; a failed exchange leaves it for redelivery. */
    private final class AcknowledgeOnCompletion extends SynchronizationAdapter {

        private final String messageId;
        private final String ackTopic;
        private final String subscription;

        AcknowledgeOnCompletion(String messageId, String ackTopic, String subscription) {
            this.messageId = messageId;
            this.ackTopic = ackTopic;
            this.subscription = subscription;
        }

        @Override
        public void onComplete(Exchange exchange) {
            ExecutorService executor = ackExecutor;
            if (executor != null) {
                try {
                    executor.execute(() -> acknowledge(messageId, ackTopic, subscription));
                    return;
                } catch (RejectedExecutionException e) {
                    // The queue is full (acks lag behind processing) or the consumer is stopping: acknowledge here,
                    // which also slows the poller down instead of letting unacknowledged messages pile up.
                }
            }
            acknowledge(messageId, ackTopic, subscription);
        }

        @Override
        public void onFailure(Exchange exchange) {
            LOG.debug("Message {} on {} failed and is not acknowledged; TDMQ will deliver it again", messageId,
                    ackTopic);
        }
    }
}
