package io.github.tdmqhttp.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange's body as a message, or acknowledges a received message (operation=acknowledge). A single body
 * is sent on the calling thread; the elements of a collection body (a List, a Set...) are sent by up to
 * maxSendsInFlight calls at once, because the API has no multi-message send.
 */
public class TdmqHttpProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpProducer.class);
    private static final int NAMED_ELEMENTS = 5;
    /** The exchange property that remembers the elements of a collection body already sent. */
    private static final String SENT_SO_FAR = "CamelTdmqHttpSentSoFar";

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private volatile ExecutorService sendExecutor;

    public TdmqHttpProducer(TdmqHttpEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        this.retry = RetryPolicy.of(configuration);
    }

    @Override
    public TdmqHttpEndpoint getEndpoint() {
        return (TdmqHttpEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (configuration.getMaxSendsInFlight() > 1) {
            int calls = configuration.getMaxSendsInFlight();
            ThreadPoolProfile profile = new ThreadPoolProfile("tdmq-http-send");
            profile.setPoolSize(calls);
            profile.setMaxPoolSize(calls);
            // Threads start with the first collection body and end when idle, so a producer of single messages, or
            // one between bursts, holds none.
            profile.setAllowCoreThreadTimeOut(true);
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
            sendExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newThreadPool(this, "TdmqHttpSend[" + configuration.getTopic() + "]", profile);
        }
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorService executor = sendExecutor;
        sendExecutor = null;
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
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
            message.setHeader(TdmqHttpConstants.MESSAGE_IDS, messageIds);
            message.setHeader(TdmqHttpConstants.TOPIC, topic);
            return;
        }
        String payload = PayloadCodec.encode(body, configuration.getPayloadEncoding(), exchange, action, topic);
        TdmqHttpGateway.Sent sent = retry.call(() -> gateway.send(topic, payload));
        LOG.debug("Sent message {} to {} (request id {})", sent.messageId(), topic, sent.requestId());
        message.setHeader(TdmqHttpConstants.MESSAGE_ID, sent.messageId());
        message.setHeader(TdmqHttpConstants.REQUEST_ID, sent.requestId());
        message.setHeader(TdmqHttpConstants.TOPIC, topic);
    }

    /** The elements of a collection body already sent, kept on the exchange in case Camel redelivers it. */
    private record SentSoFar(int size, Map<Integer, String> messageIds) {
    }

    /**
     * Sends every element, several at once, and answers the message ids in the elements' order. Every element is
     * encoded first, so a body with one bad element sends nothing. When some fail, the exchange remembers which were
     * sent, so that a redelivery of the same exchange sends only the others.
     */
    private List<String> sendAll(Exchange exchange, TdmqHttpGateway gateway, String action, String topic,
                                 Collection<?> elements) {
        List<String> payloads = encodeAll(exchange, action, topic, elements);
        String[] messageIds = new String[payloads.size()];
        TdmqHttpException[] failures = new TdmqHttpException[payloads.size()];
        SentSoFar earlier = exchange.getProperty(SENT_SO_FAR, SentSoFar.class);
        if (earlier != null && earlier.size() == payloads.size()) {
            earlier.messageIds().forEach((index, messageId) -> messageIds[index] = messageId);
        }
        List<Integer> toSend = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            if (messageIds[i] == null) {
                toSend.add(i);
            }
        }
        ExecutorService executor = sendExecutor;
        if (executor == null || toSend.size() == 1) {
            toSend.forEach(index -> sendElement(gateway, topic, payloads, index, messageIds, failures));
        } else {
            sendInParallel(executor, gateway, action, topic, payloads, toSend, messageIds, failures);
        }
        Map<Integer, TdmqHttpException> failed = new TreeMap<>();
        Map<Integer, String> sent = new TreeMap<>();
        for (int i = 0; i < payloads.size(); i++) {
            if (messageIds[i] != null) {
                sent.put(i, messageIds[i]);
            } else {
                failed.put(i, failures[i]);
            }
        }
        if (!failed.isEmpty()) {
            exchange.setProperty(SENT_SO_FAR, new SentSoFar(payloads.size(), sent));
            throw new TdmqHttpPartialSendException(action, topic, sent, failed);
        }
        exchange.removeProperty(SENT_SO_FAR);
        LOG.debug("Sent {} messages to {}", toSend.size(), topic);
        return Arrays.asList(messageIds);
    }

    private void sendInParallel(ExecutorService executor, TdmqHttpGateway gateway, String action, String topic,
                                List<String> payloads, List<Integer> toSend, String[] messageIds,
                                TdmqHttpException[] failures) {
        Semaphore inFlight = new Semaphore(configuration.getMaxSendsInFlight());
        CountDownLatch done = new CountDownLatch(toSend.size());
        boolean interrupted = false;
        for (int index : toSend) {
            Runnable send = () -> {
                try {
                    sendElement(gateway, topic, payloads, index, messageIds, failures);
                } finally {
                    done.countDown();
                }
            };
            boolean started = false;
            if (!interrupted) {
                try {
                    started = start(executor, inFlight, send);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!started) {
                failures[index] = new TdmqHttpException(action, topic, TdmqHttpErrorCodes.NETWORK_ERROR, null,
                        "not sent: the producer is stopping", null);
                done.countDown();
            }
        }
        // The calls already made finish within their timeouts; wait for them so the answer says what was sent.
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a send once a slot is free; false when the executor refuses it because the producer is stopping. */
    private static boolean start(ExecutorService executor, Semaphore inFlight, Runnable send)
            throws InterruptedException {
        inFlight.acquire();
        try {
            executor.execute(() -> {
                try {
                    send.run();
                } finally {
                    inFlight.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            inFlight.release();
            return false;
        }
    }

    private void sendElement(TdmqHttpGateway gateway, String topic, List<String> payloads, int index,
                             String[] messageIds, TdmqHttpException[] failures) {
        try {
            messageIds[index] = retry.call(() -> gateway.send(topic, payloads.get(index))).messageId();
        } catch (TdmqHttpException e) {
            failures[index] = e;
        } catch (RuntimeException e) {
            failures[index] = new TdmqHttpException(gateway.sendAction(), topic, TdmqHttpErrorCodes.NETWORK_ERROR,
                    null, "unexpected " + e, e);
        }
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
        String messageId = receipt != null ? receipt.messageId() : requireHeader(message, TdmqHttpConstants.MESSAGE_ID);
        String ackTopic = receipt != null ? receipt.ackTopic() : requireHeader(message, TdmqHttpConstants.ACK_TOPIC);
        String subscription = receipt != null ? receipt.subscription()
                : message.getHeader(TdmqHttpConstants.SUBSCRIPTION, configuration.getSubscription(), String.class);
        if (subscription == null || subscription.isBlank()) {
            throw missingHeader(TdmqHttpConstants.SUBSCRIPTION, " (or set the endpoint's subscription option)");
        }
        TdmqHttpGateway gateway = getEndpoint().gateway();
        String requestId = retry.call(() -> gateway.acknowledge(messageId, ackTopic, subscription));
        LOG.debug("Acknowledged message {} on {} for subscription {} (request id {})", messageId, ackTopic,
                subscription, requestId);
        message.setHeader(TdmqHttpConstants.REQUEST_ID, requestId);
    }

    private String requireHeader(Message message, String header) {
        String value = message.getHeader(header, String.class);
        if (value == null || value.isBlank()) {
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
