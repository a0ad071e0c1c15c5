package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.CallPool;
import io.github.tdmqhttp.camel.client.PayloadCodec;
import io.github.tdmqhttp.camel.client.RetryPolicy;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.metrics.MetricsPublisher;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;
import io.github.tdmqhttp.camel.producer.PartialSends;
import io.github.tdmqhttp.camel.producer.SendSlots;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.util.ObjectHelper;
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
    private static final int NAMED_ELEMENTS = 5;

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private final TdmqHttpMetrics metrics;
    private volatile TdmqHttpMetrics.Publication publication;
    private String routeId;
    private volatile ExecutorService sendExecutor;
    /**
     * The calls of collection bodies in flight, shared by every exchange of this producer: maxSendsInFlight at most,
     * so the send pool never holds more tasks than it has threads, whatever the number of route threads; and no more
     * than the rate of the limiter needs ({@link #sendsNeeded()}).
     */
    private final SendSlots sendSlots;

    public TdmqHttpProducer(TdmqHttpEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        this.metrics = new TdmqHttpMetrics(TdmqHttpMetrics.Role.producer, endpoint.getEndpointKey(),
                endpoint.getConfiguration(), endpoint::currentRate);
        this.retry = RetryPolicy.of(configuration).onRetry(metrics::retried);
        this.sendSlots = new SendSlots(configuration.getMaxSendsInFlight(), this::sendsNeeded);
    }

    /** Calls in flight beyond twice the rate times the round trip, for calls that take longer than the quickest. */
    private static final int SPARE_SENDS = 4;

    /**
     * The calls in flight that keep the send rate of the client-side limiter: twice its rate times the quickest recent
     * round trip, plus a few; a few until the first call answers, and maxSendsInFlight when there is no limiter.
     */
    private int sendsNeeded() {
        TdmqHttpGateway gateway = getEndpoint().gateway();
        double perSecond = gateway.currentRate(gateway.sendAction());
        if (perSecond <= 0) {
            return configuration.getMaxSendsInFlight();
        }
        long roundTrip = gateway.quickestRecentSend();
        if (roundTrip <= 0) {
            return SPARE_SENDS;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(2 * perSecond * roundTrip / 1e9) + SPARE_SENDS);
    }

    @Override
    public TdmqHttpEndpoint getEndpoint() {
        return (TdmqHttpEndpoint) super.getEndpoint();
    }

    /** How many messages this producer has sent. */
    @ManagedAttribute(description = "Messages sent")
    public long getSentCount() {
        return metrics.sends();
    }

    /** How many messages could not be sent (each element of a collection body counts). */
    @ManagedAttribute(description = "Messages that could not be sent")
    public long getSendFailureCount() {
        return metrics.sendFailures();
    }

    /** How many calls this producer tried again by itself. */
    @ManagedAttribute(description = "Calls tried again by the component itself")
    public long getRetryCount() {
        return metrics.retries();
    }

    /** How many calls TDMQ refused for its rate limit. */
    @ManagedAttribute(description = "Calls TDMQ refused for its rate limit")
    public long getThrottledCount() {
        return metrics.throttled();
    }

    /** How many API calls of this producer wait for their answer now. */
    @ManagedAttribute(description = "API calls waiting for their answer")
    public long getCallsInFlight() {
        return metrics.callsInFlight();
    }

    /** The calls a second the client-side limiter allows the send action now; 0 when it has no limit. */
    @ManagedAttribute(description = "Calls a second the client-side limiter allows sends now (0: no limit)")
    public double getCurrentSendRate() {
        return metrics.currentRate(metrics.actions().get(0));
    }

    /** The calls of each action: count, failures and latency, one line per action. */
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
        if (configuration.getMaxSendsInFlight() > 1) {
            // Threads as calls need them, so a producer of single messages holds none. A task is submitted only while
            // it holds one of the sendSlots, so at most calls tasks wait for a thread (one that has finished its task
            // but not yet taken the next); a rejection then means a pool that is shutting down.
            int calls = configuration.getMaxSendsInFlight();
            sendExecutor = CallPool.create(getEndpoint().getCamelContext(),
                    "TdmqHttpSend[" + configuration.getTopic() + "]", calls, calls);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorService executor = sendExecutor;
        sendExecutor = null;
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
        }
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
            List<String> messageIds = sendAll(exchange, gateway, action, topic, elements);
            message.setHeader(TdmqHttpConstants.MESSAGE_IDS,
                    messageIds.stream().map(TdmqHttpMessageId::canonical).toList());
            message.setHeader(TdmqHttpConstants.TOPIC, topic);
            return;
        }
        String payload = PayloadCodec.encode(body, configuration.getPayloadEncoding(), exchange, action, topic);
        TdmqHttpGateway.Sent sent;
        try {
            sent = retry.call(() -> metrics.call(action, () -> gateway.send(topic, payload)));
        } catch (RuntimeException e) {
            metrics.sendFailed(1);
            throw e;
        }
        metrics.sent(1);
        LOG.debug("Sent message {} to {} (request id {})", sent.messageId(), topic, sent.requestId());
        message.setHeader(TdmqHttpConstants.MESSAGE_ID, TdmqHttpMessageId.canonical(sent.messageId()));
        message.setHeader(TdmqHttpConstants.REQUEST_ID, sent.requestId());
        message.setHeader(TdmqHttpConstants.TOPIC, topic);
    }

    /** What became of one element of a collection body: its message id, or why it was not sent. */
    private record Outcome(String messageId, TdmqHttpException failure) {

        static Outcome sent(String messageId) {
            return new Outcome(messageId, null);
        }

        static Outcome failed(TdmqHttpException failure) {
            return new Outcome(null, failure);
        }
    }

    /**
     * Sends every element, several at once, and answers the message ids in the elements' order. Every element is
     * encoded first, so a body with one bad element sends nothing. When some fail, the exchange remembers which were
     * sent, so that a redelivery of the same exchange, with the same list, to the same endpoint and topic, sends only
     * the others ({@link PartialSends}).
     */
    private List<String> sendAll(Exchange exchange, TdmqHttpGateway gateway, String action, String topic,
                                 Collection<?> elements) {
        List<String> payloads = encodeAll(exchange, action, topic, elements);
        String list = PartialSends.key(getEndpoint().getEndpointKey(), topic, payloads);
        Map<Integer, String> sentBefore = PartialSends.sentBefore(exchange, list);
        int toSend = payloads.size() - sentBefore.size();
        ExecutorService executor = sendExecutor;
        boolean inParallel = executor != null && toSend > 1;
        // One future per element, in the elements' order, each holding its own outcome.
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(payloads.size());
        for (int index = 0; index < payloads.size(); index++) {
            String messageId = sentBefore.get(index);
            if (messageId != null) {
                outcomes.add(CompletableFuture.completedFuture(Outcome.sent(messageId)));
            } else if (inParallel) {
                outcomes.add(sendInBackground(executor, gateway, action, topic, payloads.get(index)));
            } else {
                outcomes.add(CompletableFuture.completedFuture(sendElement(gateway, topic, payloads.get(index))));
            }
        }
        // The calls already made finish within their timeouts; wait for them so the answer says what was sent.
        Map<Integer, String> sent = new TreeMap<>();
        Map<Integer, TdmqHttpException> failed = new TreeMap<>();
        for (int index = 0; index < outcomes.size(); index++) {
            Outcome outcome = outcomes.get(index).join();
            if (outcome.failure() == null) {
                sent.put(index, outcome.messageId());
            } else {
                failed.put(index, outcome.failure());
            }
        }
        metrics.sent(sent.size() - sentBefore.size());
        metrics.sendFailed(failed.size());
        if (!failed.isEmpty()) {
            PartialSends.remember(exchange, list, sent);
            throw new TdmqHttpPartialSendException(action, topic, sent, failed);
        }
        PartialSends.forget(exchange, list);
        LOG.debug("Sent {} messages to {}", toSend, topic);
        return new ArrayList<>(sent.values());
    }

    /**
     * Sends one element on the send pool once one of the producer's send slots is free. An element that cannot start
     * (the producer is stopping, the route thread is interrupted) fails at once and says why.
     */
    private CompletableFuture<Outcome> sendInBackground(ExecutorService executor, TdmqHttpGateway gateway,
                                                        String action, String topic, String payload) {
        try {
            sendSlots.acquire();
        } catch (InterruptedException e) {
            // Keep the flag: the elements after this one fail at once too, and the route learns of the interrupt.
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(notSent(action, topic, "the route thread was interrupted"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return sendElement(gateway, topic, payload);
                } finally {
                    sendSlots.release();
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            sendSlots.release();
            return CompletableFuture.completedFuture(notSent(action, topic,
                    executor.isShutdown() || isStoppingOrStopped() ? "the producer is stopping"
                            : "the send pool refused it (" + e.getMessage() + ")"));
        }
    }

    private Outcome sendElement(TdmqHttpGateway gateway, String topic, String payload) {
        try {
            return Outcome.sent(retry.call(() -> metrics.call(gateway.sendAction(), () -> gateway.send(topic, payload)))
                    .messageId());
        } catch (TdmqHttpException e) {
            return Outcome.failed(e);
        } catch (RuntimeException e) {
            return Outcome.failed(new TdmqHttpException(gateway.sendAction(), topic, TdmqHttpErrorCodes.NETWORK_ERROR,
                    null, "unexpected " + e, e));
        }
    }

    private static Outcome notSent(String action, String topic, String why) {
        return Outcome.failed(new TdmqHttpException(action, topic, TdmqHttpErrorCodes.NOT_SENT, null,
                "not sent: " + why, null));
    }

    private List<String> encodeAll(Exchange exchange, String action, String topic, Collection<?> elements) {
        List<String> payloads = new ArrayList<>();
        Map<Integer, String> refusals = new TreeMap<>();
        int index = 0;
        for (Object element : elements) {
            try {
                payloads.add(PayloadCodec.encode(element, configuration.getPayloadEncoding(), exchange, action, topic));
            } catch (TdmqHttpException e) {
                refusals.put(index, e.getMessage());
            }
            index++;
        }
        if (!refusals.isEmpty()) {
            String named = refusals.entrySet().stream().limit(NAMED_ELEMENTS)
                    .map(refusal -> "#" + refusal.getKey() + ": " + refusal.getValue())
                    .collect(Collectors.joining("; "));
            throw TdmqHttpException.refused(action, topic, TdmqHttpErrorCodes.INVALID_PAYLOAD,
                    refusals.size() + " of " + index + " elements of the collection body cannot be sent, so none was: "
                    + named);
        }
        return payloads;
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
        Message message = exchange.getMessage();
        TdmqHttpReceipt receipt = exchange.getProperty(TdmqHttpReceipt.EXCHANGE_PROPERTY, TdmqHttpReceipt.class);
        String messageId = receipt != null ? receipt.messageId() : receiptIdOf(message);
        String ackTopic = receipt != null ? receipt.ackTopic() : requireHeader(message, TdmqHttpConstants.ACK_TOPIC);
        String subscription = receipt != null ? receipt.subscription()
                : message.getHeader(TdmqHttpConstants.SUBSCRIPTION, configuration.getSubscription(), String.class);
        if (ObjectHelper.isEmpty(subscription)) {
            throw missingHeader(TdmqHttpConstants.SUBSCRIPTION, " (or set the endpoint's subscription option)");
        }
        TdmqHttpGateway gateway = getEndpoint().gateway();
        String requestId = retry.call(() -> metrics.call(TdmqHttpGateway.ACKNOWLEDGE_MESSAGE,
                () -> gateway.acknowledge(messageId, ackTopic, subscription).requestId()));
        LOG.debug("Acknowledged message {} on {} for subscription {} (request id {})", messageId, ackTopic,
                subscription, requestId);
        message.setHeader(TdmqHttpConstants.REQUEST_ID, requestId);
    }

    /**
     * The id as the receive returned it: a canonical id can differ from it (a batch index of 0 dropped), and whether
     * TDMQ acknowledges only that message with it is not documented.
     */
    private String receiptIdOf(Message message) {
        String receiptId = message.getHeader(TdmqHttpConstants.RECEIPT_ID, String.class);
        return ObjectHelper.isEmpty(receiptId) ? requireHeader(message, TdmqHttpConstants.MESSAGE_ID) : receiptId;
    }

    private String requireHeader(Message message, String header) {
        String value = message.getHeader(header, String.class);
        if (ObjectHelper.isEmpty(value)) {
            throw missingHeader(header, "");
        }
        return value;
    }

    private TdmqHttpException missingHeader(String header, String alternative) {
        return TdmqHttpException.refused(TdmqHttpGateway.ACKNOWLEDGE_MESSAGE, configuration.getTopic(),
                TdmqHttpErrorCodes.MISSING_HEADER,
                "operation=acknowledge needs the header " + header + alternative + ". A tdmq-http consumer sets it"
                + " on every exchange it receives; keep it when the route changes headers");
    }
}
