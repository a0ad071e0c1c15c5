package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.RetryPolicy;
import io.github.tdmqhttp.camel.consumer.AckCapacity;
import io.github.tdmqhttp.camel.consumer.AckDeadlines;
import io.github.tdmqhttp.camel.consumer.ReceivePipeline;
import io.github.tdmqhttp.camel.consumer.ReceiveSizing;
import io.github.tdmqhttp.camel.consumer.Settler;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.concurrent.TimeUnit;

import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a tdmq-http consumer, and what they show as attributes of its JMX MBean: the figures it counts, what it
 * learnt of the topic and the service, how many messages it holds. What the consumer does with them (its lifecycle,
 * the poll loop, the batch) is {@link TdmqHttpConsumer}'s. Not meant to be extended outside this package.
 */
public abstract class TdmqHttpConsumerAttributes extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpConsumer.class);

    protected final TdmqHttpConfiguration configuration;
    protected final TdmqHttpMetrics metrics;
    protected final AckDeadlines deadlines;
    protected final ReceiveSizing sizing;
    protected final ReceivePipeline receives;
    protected final Settler settler;
    /** How many messages the consumer may hold unacknowledged, given its share of the ack quota; set at each start. */
    protected volatile AckCapacity capacity;

    TdmqHttpConsumerAttributes(TdmqHttpEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        this.metrics = new TdmqHttpMetrics(TdmqHttpMetrics.Role.consumer, endpoint.getEndpointKey(), configuration,
                endpoint::currentRate);
        this.deadlines = new AckDeadlines(configuration.getAckTimeout());
        this.sizing = new ReceiveSizing(configuration, metrics, deadlines.ackTimeout(), describe());
        this.receives = new ReceivePipeline(configuration, metrics, sizing, deadlines, endpoint::gateway);
        this.settler = new Settler(configuration, metrics, RetryPolicy.of(configuration).onRetry(metrics::retried),
                deadlines, sizing, endpoint::gateway);
    }

    @Override
    public TdmqHttpEndpoint getEndpoint() {
        return (TdmqHttpEndpoint) super.getEndpoint();
    }

    /** The figures of this consumer, for the dev console and the tests. */
    final TdmqHttpMetrics metrics() {
        return metrics;
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

    /** How log lines name this consumer: shorter than the endpoint URI, and enough to find it. */
    protected final String describe() {
        return "tdmq-http consumer of " + configuration.getTopic() + " (subscription " + configuration.getSubscription()
               + ")";
    }

    @ManagedAttribute(description = "Messages received from TDMQ")
    public long getReceivedCount() {
        return metrics.received();
    }

    @ManagedAttribute(description = "Exchanges the route finished, failed or not")
    public long getProcessedCount() {
        return metrics.processed();
    }

    @ManagedAttribute(description = "Exchanges that failed, so their message was not acknowledged")
    public long getFailedCount() {
        return metrics.failed();
    }

    @ManagedAttribute(description = "Messages acknowledged")
    public long getAcknowledgedCount() {
        return metrics.acknowledged();
    }

    @ManagedAttribute(description = "Acknowledgements that failed after every retry; TDMQ delivers those messages"
                                    + " again")
    public long getAckFailureCount() {
        return metrics.ackFailures();
    }

    @ManagedAttribute(description = "Deliveries of a message this application had seen before (delivery count above"
                                    + " 1)")
    public long getRedeliveredCount() {
        return metrics.redelivered();
    }

    @ManagedAttribute(description = "Messages moved to the dead letter topic after maxDeliveries failed deliveries")
    public long getDeadLetteredCount() {
        return metrics.deadLettered();
    }

    @ManagedAttribute(description = "Received messages left unprocessed because their ack deadline was too close")
    public long getSkippedPastDeadlineCount() {
        return metrics.skippedPastDeadline();
    }

    @ManagedAttribute(description = "Batches refused because their ids and payloads could not be paired (###)")
    public long getUnpairedBatchCount() {
        return metrics.unpairedBatches();
    }

    @ManagedAttribute(description = "Polls that found no message")
    public long getIdlePollCount() {
        return metrics.idlePolls();
    }

    @ManagedAttribute(description = "Calls tried again by the component itself")
    public long getRetryCount() {
        return metrics.retries();
    }

    @ManagedAttribute(description = "Calls TDMQ refused for its rate limit")
    public long getThrottledCount() {
        return metrics.throttled();
    }

    @ManagedAttribute(description = "API calls waiting for their answer")
    public long getCallsInFlight() {
        return metrics.callsInFlight();
    }

    @ManagedAttribute(description = "Acknowledgements queued or on their way")
    public int getAcksWaiting() {
        return settler.pending();
    }

    @ManagedAttribute(description = "Received messages held and not yet acknowledged, with those a receive in flight"
                                    + " asked for")
    public int getUnacknowledgedCount() {
        AckCapacity current = capacity;
        return current != null ? current.held() : 0;
    }

    @ManagedAttribute(description = "The most received messages this consumer may hold unacknowledged now")
    public int getUnacknowledgedLimit() {
        AckCapacity current = capacity;
        return current != null ? current.limit() : configuration.getMaxUnacknowledgedMessages();
    }

    @ManagedAttribute(description = "Calls a second the client-side limiter allows ReceiveMessage now (0: no limit)")
    public double getCurrentReceiveRate() {
        return metrics.currentRate(TdmqHttpActions.RECEIVE_MESSAGE);
    }

    @ManagedAttribute(description = "When the last poll succeeded (milliseconds since the epoch; 0 before the first)")
    public long getLastSuccessfulPoll() {
        return metrics.lastSuccessfulPoll();
    }

    @ManagedAttribute(description = "Polls in a row that failed (0 while polls work)")
    public long getConsecutivePollFailures() {
        return metrics.consecutivePollFailures();
    }

    @ManagedAttribute(description = "The error code of the last failed poll, while polls fail")
    public String getLastPollErrorCode() {
        TdmqHttpException failure = metrics.lastPollFailure();
        return failure != null ? failure.getErrorCode() : null;
    }

    @ManagedAttribute(description = "Calls per API action: count, failures, mean, p50, p95, p99 and max in ms")
    public String getCallLatency() {
        return metrics.callLines();
    }

    @ManagedAttribute(description = "Messages the next poll asks for")
    public int getCurrentBatchSize() {
        return sizing.currentBatchSize();
    }

    /** How many receives were started ahead, while a poller processed the answer of the one before. */
    public long getReceivesStartedAheadCount() {
        return receives.startedAhead();
    }

    /** How many receives the consumer now keeps in flight ahead of its pollers. */
    public int getReceivesInFlightTarget() {
        return sizing.receivesInFlightTarget();
    }

    /** The measured round trip of calls the server answers at once, in milliseconds; 0 before the first. */
    public long getRoundTripMillis() {
        return TimeUnit.NANOSECONDS.toMillis(sizing.roundTripNanos());
    }

    @ManagedAttribute(description = "The dead letter topic, with maxDeliveries above 0")
    public String getDeadLetterTopic() {
        return configuration.getMaxDeliveries() > 0 ? configuration.deadLetterTopicPath() : null;
    }

    /** Camel's default scheduler runs concurrentConsumers pollers; another scheduler runs one, with a warning. */
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
}
