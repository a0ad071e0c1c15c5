package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.RetryPolicy;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.metrics.MetricsPublisher;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;
import io.github.tdmqhttp.camel.producer.AckTarget;
import io.github.tdmqhttp.camel.producer.CollectionSender;

import java.util.Collection;
import java.util.List;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange's body as a message, or acknowledges a received message (operation=acknowledge). A single body
 * is sent on the calling thread; the elements of a collection body (a List, a Set...) are sent by up to
 * maxSendsInFlight calls at once, shared by all exchanges, because the API has no multi-message send. A failed call is
 * repeated here only when that is safe (see {@link RetryPolicy}); the rest is left to the route's error handling.
 * <p>
 * Its figures ({@link TdmqHttpMetrics}) are attributes of its JMX MBean, lines of the tdmq-http dev console and
 * Micrometer meters when Micrometer is present. It is an AsyncProducer that always completes synchronously, only so
 * that Camel registers this class in JMX and tells it its route, rather than wrapping it.
 */
@ManagedResource(description = "Managed tdmq-http producer")
public class TdmqHttpProducer extends DefaultAsyncProducer implements RouteIdAware {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpProducer.class);

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private final TdmqHttpMetrics metrics;
    private volatile TdmqHttpMetrics.Publication publication;
    private String routeId;
    private final CollectionSender collections;

    public TdmqHttpProducer(TdmqHttpEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        this.metrics = new TdmqHttpMetrics(TdmqHttpMetrics.Role.producer, endpoint.getEndpointKey(),
                endpoint.getConfiguration(), endpoint::currentRate);
        this.retry = RetryPolicy.of(configuration).onRetry(metrics::retried);
        this.collections = new CollectionSender(configuration, metrics, retry, endpoint::gateway, endpoint::codec,
                endpoint.getEndpointKey());
    }

    @Override
    public TdmqHttpEndpoint getEndpoint() {
        return (TdmqHttpEndpoint) super.getEndpoint();
    }

    @ManagedAttribute(description = "Messages sent")
    public long getSentCount() {
        return metrics.sends();
    }

    @ManagedAttribute(description = "Messages that could not be sent")
    public long getSendFailureCount() {
        return metrics.sendFailures();
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

    @ManagedAttribute(description = "Calls a second the client-side limiter allows sends now (0: no limit)")
    public double getCurrentSendRate() {
        return metrics.currentRate(metrics.actions().get(0));
    }

    @ManagedAttribute(description = "Calls per API action: count, failures, mean, p50, p95, p99 and max in ms")
    public String getCallLatency() {
        return metrics.callLines();
    }

    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        metrics.routeId(routeId);
        publication = MetricsPublisher.publish(getEndpoint().getCamelContext(), metrics);
        getEndpoint().getComponent().observe(metrics);
        collections.start(getEndpoint().getCamelContext());
    }

    @Override
    protected void doStop() throws Exception {
        collections.stop(getEndpoint().getCamelContext());
        getEndpoint().getComponent().forget(metrics);
        TdmqHttpMetrics.Publication published = publication;
        publication = null;
        if (published != null) {
            published.close();
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            sendOrAcknowledge(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private void sendOrAcknowledge(Exchange exchange) throws Exception {
        TdmqHttpOperation operation = exchange.getMessage()
                .getHeader(TdmqHttpConstants.OPERATION, configuration.getOperation(), TdmqHttpOperation.class);
        if (operation == TdmqHttpOperation.acknowledge) {
            acknowledge(exchange);
        } else {
            send(exchange);
        }
    }

    private void send(Exchange exchange) {
        Message message = exchange.getMessage();
        String topic = topicOf(message);
        TdmqHttpGateway gateway = getEndpoint().gateway();
        String action = gateway.sendAction();
        Object body = message.getBody();
        if (body instanceof Collection<?> elements) {
            message.setHeader(TdmqHttpConstants.MESSAGE_IDS, collections.sendAll(exchange, topic, elements));
            message.setHeader(TdmqHttpConstants.TOPIC, topic);
            return;
        }
        String payload = getEndpoint().codec().encode(body, exchange, -1, action, topic);
        TdmqHttpGateway.Sent sent;
        try {
            sent = retry.call(() -> metrics.call(action, () -> gateway.send(topic, payload)));
        } catch (RuntimeException e) {
            metrics.sendFailed(1);
            throw e;
        }
        metrics.sent(1);
        getEndpoint().codec().sent(exchange);
        LOG.debug("Sent message {} to {} (request id {})", sent.messageId(), topic, sent.requestId());
        message.setHeader(TdmqHttpConstants.MESSAGE_ID, TdmqHttpMessageId.canonical(sent.messageId()));
        message.setHeader(TdmqHttpConstants.REQUEST_ID, sent.requestId());
        message.setHeader(TdmqHttpConstants.TOPIC, topic);
    }

    private String topicOf(Message message) {
        String override = message.getHeader(TdmqHttpConstants.OVERRIDE_TOPIC, String.class);
        if (override == null) {
            return configuration.getTopic();
        }
        // Used once: a later tdmq-http endpoint in the same route must not inherit it.
        message.removeHeader(TdmqHttpConstants.OVERRIDE_TOPIC);
        String problem = TdmqHttpEndpoint.topicProblem(override);
        if (problem != null) {
            throw TdmqHttpException.refused(getEndpoint().gateway().sendAction(), override,
                    TdmqHttpErrorCodes.INVALID_TOPIC, "header " + TdmqHttpConstants.OVERRIDE_TOPIC + ": " + problem);
        }
        return TdmqHttpEndpoint.canonicalTopic(override);
    }

    private void acknowledge(Exchange exchange) {
        TdmqHttpGateway gateway = getEndpoint().gateway();
        for (AckTarget target : AckTarget.allOf(exchange, configuration)) {
            String requestId = retry.call(() -> metrics.call(TdmqHttpActions.ACKNOWLEDGE_MESSAGE,
                    () -> gateway.acknowledge(target.messageId(), target.ackTopic(), target.subscription())
                            .requestId()));
            LOG.debug("Acknowledged message {} on {} for subscription {} (request id {})", target.messageId(),
                    target.ackTopic(), target.subscription(), requestId);
            exchange.getMessage().setHeader(TdmqHttpConstants.REQUEST_ID, requestId);
        }
    }
}
