package io.github.tdmqhttp.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange's body as a message, or acknowledges a received message (operation=acknowledge). A single body
 * is sent on the calling thread; the elements of an Iterable body are sent by up to maxSendsInFlight calls at once,
 * because the API has no multi-message send.
 */
public class TdmqHttpProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpProducer.class);
    private static final int NAMED_ELEMENTS = 5;

    private final TdmqHttpConfiguration configuration;
    private final RetryPolicy retry;
    private ExecutorService sendExecutor;

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
            // Threads are created on demand, so a producer that never sees an Iterable body never starts one.
            sendExecutor = getEndpoint().getCamelContext().getExecutorServiceManager()
                    .newFixedThreadPool(this, "TdmqHttpSend[" + configuration.getTopic() + "]",
                            configuration.getMaxSendsInFlight());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (sendExecutor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(sendExecutor);
            sendExecutor = null;
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        TdmqHttpOperation operation = exchange.getMessage()
                .getHeader(TdmqHttpConstants.OPERATION, configuration.getOperation(), TdmqHttpOperation.class);
        if (operation == TdmqHttpOperation.acknowledge) {
            acknowledge(exchange.getMessage());
        } else {
            send(exchange);
        }
    }

    private void send(Exchange exchange) throws InterruptedException {
        Message message = exchange.getMessage();
        String topic = topicOf(message);
        TdmqHttpGateway gateway = getEndpoint().gateway();
        String action = gateway.sendAction();
        Object body = message.getBody();
        if (body instanceof Iterable<?> elements) {
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

    /**
     * Sends every element, several at once, and answers the message ids in the elements' order. Every element is
     * encoded first, so a body with one bad element sends nothing.
     */
    private List<String> sendAll(Exchange exchange, TdmqHttpGateway gateway, String action, String topic,
                                 Iterable<?> elements)
            throws InterruptedException {
        List<String> payloads = encodeAll(exchange, action, topic, elements);
        String[] messageIds = new String[payloads.size()];
        TdmqHttpException[] failures = new TdmqHttpException[payloads.size()];
        if (sendExecutor == null || payloads.size() == 1) {
            for (int i = 0; i < payloads.size(); i++) {
                sendElement(gateway, topic, payloads, i, messageIds, failures);
            }
        } else {
            Semaphore inFlight = new Semaphore(configuration.getMaxSendsInFlight());
            CountDownLatch done = new CountDownLatch(payloads.size());
            for (int i = 0; i < payloads.size(); i++) {
                int index = i;
                inFlight.acquire();
                sendExecutor.execute(() -> {
                    try {
                        sendElement(gateway, topic, payloads, index, messageIds, failures);
                    } finally {
                        inFlight.release();
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        Map<Integer, TdmqHttpException> failed = new TreeMap<>();
        Map<Integer, String> sent = new TreeMap<>();
        for (int i = 0; i < payloads.size(); i++) {
            if (failures[i] != null) {
                failed.put(i, failures[i]);
            } else {
                sent.put(i, messageIds[i]);
            }
        }
        if (!failed.isEmpty()) {
            throw new TdmqHttpPartialSendException(action, topic, sent, failed);
        }
        LOG.debug("Sent {} messages to {}", payloads.size(), topic);
        return Arrays.asList(messageIds);
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

    private List<String> encodeAll(Exchange exchange, String action, String topic, Iterable<?> elements) {
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
                    refusals.size() + " of " + index + " elements of the Iterable body cannot be sent, so none was: "
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
        return override;
    }

    private void acknowledge(Message message) {
        String messageId = requireHeader(message, TdmqHttpConstants.MESSAGE_ID);
        String ackTopic = requireHeader(message, TdmqHttpConstants.ACK_TOPIC);
        String subscription = message.getHeader(TdmqHttpConstants.SUBSCRIPTION, configuration.getSubscription(),
                String.class);
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
