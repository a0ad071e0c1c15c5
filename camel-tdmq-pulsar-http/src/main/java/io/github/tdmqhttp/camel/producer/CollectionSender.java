package io.github.tdmqhttp.camel.producer;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.camel.TdmqHttpMessageId;
import io.github.tdmqhttp.camel.TdmqHttpPartialSendException;
import io.github.tdmqhttp.camel.client.CallPool;
import io.github.tdmqhttp.camel.client.MessageCodec;
import io.github.tdmqhttp.camel.client.RetryPolicy;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the elements of a collection body (a List, a Set...), one message each, by up to maxSendsInFlight calls at
 * once shared by every exchange of the producer, because the API has no multi-message send. Every element is encoded
 * first, so a body with one bad element sends nothing; when some calls fail, the exchange remembers which elements
 * were sent ({@link PartialSends}). Thread-safe. Internal.
 */
public final class CollectionSender {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.tdmqhttp.camel.TdmqHttpProducer");
    private static final int NAMED_ELEMENTS = 5;

    private final TdmqHttpConfiguration configuration;
    private final TdmqHttpMetrics metrics;
    private final RetryPolicy retry;
    private final Supplier<TdmqHttpGateway> gateway;
    private final Supplier<MessageCodec> codec;
    private final String endpointKey;
    /**
     * The calls of collection bodies in flight, shared by every exchange of the producer: maxSendsInFlight at most,
     * so the send pool never holds more tasks than it has threads, whatever the number of route threads; and no more
     * than the rate of the limiter needs ({@link #sendsNeeded()}).
     */
    private final SendSlots sendSlots;
    private volatile ExecutorService executor;

    /**
     * @param codec       turns elements into payloads
     * @param endpointKey the key of the producer's endpoint, part of what an exchange remembers of a partial send
     */
    public CollectionSender(TdmqHttpConfiguration configuration, TdmqHttpMetrics metrics, RetryPolicy retry,
                            Supplier<TdmqHttpGateway> gateway, Supplier<MessageCodec> codec, String endpointKey) {
        this.configuration = configuration;
        this.metrics = metrics;
        this.retry = retry;
        this.gateway = gateway;
        this.codec = codec;
        this.endpointKey = endpointKey;
        this.sendSlots = new SendSlots(configuration.getMaxSendsInFlight(), this::sendsNeeded);
    }

    /**
     * The producer starts. Threads as calls need them, so a producer of single messages holds none. A task is
     * submitted only while it holds one of the send slots, so at most maxSendsInFlight tasks wait for a thread (one
     * that has finished its task but not yet taken the next); a rejection then means a pool that is shutting down.
     */
    public void start(CamelContext context) {
        if (configuration.getMaxSendsInFlight() > 1) {
            int calls = configuration.getMaxSendsInFlight();
            executor = CallPool.create(context, "TdmqHttpSend[" + configuration.getTopic() + "]", calls, calls);
        }
    }

    public void stop(CamelContext context) {
        ExecutorService threads = executor;
        executor = null;
        if (threads != null) {
            context.getExecutorServiceManager().shutdown(threads);
        }
    }

    /** Calls in flight beyond twice the rate times the round trip, for calls that take longer than the quickest. */
    private static final int SPARE_SENDS = 4;

    /**
     * The calls in flight that keep the send rate of the client-side limiter: twice its rate times the quickest recent
     * round trip, plus a few; a few until the first call answers, and maxSendsInFlight when there is no limiter.
     */
    private int sendsNeeded() {
        TdmqHttpGateway gateway = this.gateway.get();
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

    /** What became of one element of a collection body: its message id, or why it was not sent. */
    private record Outcome(String messageId, TdmqHttpException failure) {

        /** An element sent; its id canonical, as every id the component hands out. */
        static Outcome sent(String messageId) {
            return new Outcome(TdmqHttpMessageId.canonical(messageId), null);
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
    public List<String> sendAll(Exchange exchange, String topic, Collection<?> elements) {
        TdmqHttpGateway gateway = this.gateway.get();
        String action = gateway.sendAction();
        List<String> payloads = encodeAll(exchange, action, topic, elements);
        String list = PartialSends.key(endpointKey, topic, payloads);
        Map<Integer, String> sentBefore = PartialSends.sentBefore(exchange, list);
        int toSend = payloads.size() - sentBefore.size();
        ExecutorService executor = this.executor;
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
        // Every element went: the exchange's next send is other messages.
        codec.get().sent(exchange);
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
                    executor.isShutdown() ? "the producer is stopping"
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
        MessageCodec codec = this.codec.get();
        int index = 0;
        for (Object element : elements) {
            try {
                payloads.add(codec.encode(element, exchange, index, action, topic));
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
}
