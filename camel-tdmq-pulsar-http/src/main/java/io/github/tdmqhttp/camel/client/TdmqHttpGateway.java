package io.github.tdmqhttp.camel.client;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesResponse;

import static io.github.tdmqhttp.camel.TdmqHttpActions.ACKNOWLEDGE_MESSAGE;
import static io.github.tdmqhttp.camel.TdmqHttpActions.RECEIVE_MESSAGE;
import static io.github.tdmqhttp.camel.TdmqHttpActions.SEND_BATCH_MESSAGES;
import static io.github.tdmqhttp.camel.TdmqHttpActions.SEND_MESSAGES;
import static org.apache.camel.util.ObjectHelper.isEmpty;

/**
 * The only code that calls the Tencent Cloud SDK's client. It builds the requests and turns every way a call
 * can go wrong (an error code, a non-200 answer, an I/O failure, an answer the SDK cannot read, an ErrorMsg that is
 * not "success", a batch that does not split) into a {@link TdmqHttpException}. One call, no retries: retrying is the
 * caller's choice.
 */
public final class TdmqHttpGateway {

    /** TDMQ joins the ids and the payloads of a batch receive with this, unescaped. */
    private static final Pattern BATCH_SEPARATOR = Pattern.compile("###", Pattern.LITERAL);
    private static final int NAMED_IDS = 10;

    private final TdmqClient client;
    private final TdmqHttpConfiguration configuration;
    /** The limiter of each action, looked up once; no entry means no limit. */
    private final Map<String, RequestRateLimiter> rateLimiters = new HashMap<>();
    /** The quickest recent answer of each send action, for the producer's calls in flight; other actions skip it. */
    private final Map<String, QuickestCall> quickestCalls = Map.of(SEND_MESSAGES, new QuickestCall(),
            SEND_BATCH_MESSAGES, new QuickestCall());

    /**
     * @param client       the SDK client to call, built by {@link TdmqHttpClientFactory}
     * @param rateLimiters the limiter of an action, or null when the action has none
     */
    public TdmqHttpGateway(TdmqClient client, TdmqHttpConfiguration configuration,
                    Function<String, RequestRateLimiter> rateLimiters) {
        this.client = client;
        this.configuration = configuration;
        for (String action : List.of(SEND_MESSAGES, SEND_BATCH_MESSAGES, RECEIVE_MESSAGE, ACKNOWLEDGE_MESSAGE)) {
            RequestRateLimiter limiter = rateLimiters.apply(action);
            if (limiter != null) {
                this.rateLimiters.put(action, limiter);
            }
        }
    }

    /** A sent message: the id TDMQ gave it, and the RequestId of the call. */
    public record Sent(String messageId, String requestId) {
    }

    /**
     * An acknowledged message: the RequestId of the call, and how long the call took without its wait for a slot of
     * the limiter, a round trip to the API.
     */
    public record Acknowledged(String requestId, long callNanos) {
    }

    /** One received message. */
    public record Received(String messageId, String payload) {
    }

    /**
     * What one ReceiveMessage call returned: no message (an idle poll), one, or a batch; or a batch whose ids and
     * payloads cannot be paired for certain, of which only the ids are kept ({@code unpairedIds}).
     */
    public record ReceivedBatch(List<Received> messages, List<String> unpairedIds, String ackTopic, String subscription,
                         String requestId) {

        static ReceivedBatch idle(String requestId) {
            return new ReceivedBatch(List.of(), List.of(), null, null, requestId);
        }

        public boolean isIdle() {
            return messages.isEmpty() && unpairedIds.isEmpty();
        }

        public boolean isUnpaired() {
            return !unpairedIds.isEmpty();
        }
    }

    /** The action a send uses: SendBatchMessages when batching is on. */
    public String sendAction() {
        return configuration.isBatching() ? SEND_BATCH_MESSAGES : SEND_MESSAGES;
    }

    public Sent send(String topic, String payload) {
        String action = sendAction();
        String messageId;
        String errorMsg;
        String requestId;
        if (configuration.isBatching()) {
            SendBatchMessagesRequest request = new SendBatchMessagesRequest();
            request.setTopic(topic);
            request.setPayload(payload);
            request.setStringToken(unlessBlank(configuration.getStringToken()));
            request.setProducerName(unlessBlank(configuration.getProducerName()));
            request.setSendTimeout(configuration.getSendTimeout());
            request.setMaxPendingMessages(configuration.getMaxPendingMessages());
            request.setBatchingMaxMessages(configuration.getBatchingMaxMessages());
            request.setBatchingMaxPublishDelay(configuration.getBatchingMaxPublishDelay());
            request.setBatchingMaxBytes(configuration.getBatchingMaxBytes());
            SendBatchMessagesResponse response = call(action, topic, () -> client.SendBatchMessages(request));
            messageId = response.getMessageId();
            errorMsg = response.getErrorMsg();
            requestId = response.getRequestId();
        } else {
            SendMessagesRequest request = new SendMessagesRequest();
            request.setTopic(topic);
            request.setPayload(payload);
            request.setStringToken(unlessBlank(configuration.getStringToken()));
            request.setProducerName(unlessBlank(configuration.getProducerName()));
            request.setSendTimeout(configuration.getSendTimeout());
            request.setMaxPendingMessages(configuration.getMaxPendingMessages());
            SendMessagesResponse response = call(action, topic, () -> client.SendMessages(request));
            messageId = response.getMessageId();
            errorMsg = response.getErrorMsg();
            requestId = response.getRequestId();
        }
        requireSuccess(action, topic, errorMsg, requestId);
        if (isEmpty(messageId)) {
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, requestId,
                    "the answer has no MessageId, so whether the message was stored is unknown", null);
        }
        return new Sent(messageId, requestId);
    }

    /**
     * One ReceiveMessage call: a batch receive of up to {@code maxMessages} and {@code maxBytes} of payload (none when
     * null or 0) when it is above 1, a single-message receive otherwise.
     */
    public ReceivedBatch receive(String topic, int maxMessages, Integer maxBytes) {
        boolean batch = maxMessages > 1;
        ReceiveMessageRequest request = new ReceiveMessageRequest();
        request.setTopic(topic);
        request.setSubscriptionName(configuration.getSubscription());
        request.setSubInitialPosition(configuration.getSubInitialPosition().name());
        if (configuration.getReceiverQueueSize() != null) {
            request.setReceiverQueueSize(configuration.getReceiverQueueSize().longValue());
        }
        if (batch) {
            request.setMaxNumMessages((long) maxMessages);
            if (maxBytes != null && maxBytes > 0) {
                request.setMaxNumBytes(maxBytes.longValue());
            }
            request.setTimeout(configuration.getBatchReceiveTimeout());
        }
        ReceiveMessageResponse response;
        try {
            response = call(RECEIVE_MESSAGE, topic, () -> client.ReceiveMessage(request));
        } catch (TdmqHttpException e) {
            if (TdmqHttpErrorCodes.isIdlePoll(e.getErrorCode())) {
                return ReceivedBatch.idle(e.getRequestId());
            }
            throw e;
        }
        String requestId = response.getRequestId();
        requireSuccess(RECEIVE_MESSAGE, topic, response.getErrorMsg(), requestId);
        List<String> unpairedIds = List.of();
        List<Received> messages;
        if (batch && !isEmpty(response.getMessageIDList())) {
            String[] ids = BATCH_SEPARATOR.split(response.getMessageIDList(), -1);
            messages = split(ids, response.getMessagesPayload());
            if (messages == null) {
                messages = List.of();
                unpairedIds = List.of(ids);
            }
        } else {
            messages = single(topic, response, requestId);
        }
        if (isEmpty(response.getAckTopic()) || isEmpty(response.getSubName())) {
            throw new TdmqHttpException(RECEIVE_MESSAGE, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, requestId,
                    "the answer has messages (" + idsOf(messages) + ") but no " + (isEmpty(response.getAckTopic())
                            ? "AckTopic" : "SubName") + ", without which they cannot be acknowledged; they were not"
                    + " delivered and TDMQ will deliver them again after the ack timeout", null);
        }
        return new ReceivedBatch(messages, unpairedIds, response.getAckTopic(), response.getSubName(), requestId);
    }

    /** Acknowledges one message with the id, ack topic and subscription its receive returned. */
    public Acknowledged acknowledge(String messageId, String ackTopic, String subscription) {
        AcknowledgeMessageRequest request = new AcknowledgeMessageRequest();
        request.setMessageId(messageId);
        request.setAckTopic(ackTopic);
        request.setSubName(subscription);
        long[] callNanos = new long[1];
        AcknowledgeMessageResponse response = call(ACKNOWLEDGE_MESSAGE, ackTopic, () -> {
            long start = System.nanoTime();
            try {
                return client.AcknowledgeMessage(request);
            } finally {
                callNanos[0] = System.nanoTime() - start;
            }
        });
        requireSuccess(ACKNOWLEDGE_MESSAGE, ackTopic, response.getErrorMsg(), response.getRequestId());
        return new Acknowledged(response.getRequestId(), callNanos[0]);
    }

    /** The limiter the calls of an action go through, shared by everything that spends its quota; null for none. */
    public RequestRateLimiter rateLimiter(String action) {
        return rateLimiters.get(action);
    }

    private static List<Received> single(String topic, ReceiveMessageResponse response, String requestId) {
        if (isEmpty(response.getMessageID())) {
            throw new TdmqHttpException(RECEIVE_MESSAGE, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, requestId,
                    "the answer is a success with neither MessageID nor MessageIDList", null);
        }
        String payload = response.getMessagePayload();
        return List.of(new Received(response.getMessageID(), payload != null ? payload : ""));
    }

    /**
     * Pairs the ###-joined ids and payloads, or answers null when the pairing is not certain: never guess. A payload
     * that contains ### gives more pieces than ids; one that ends with # before a separator, or starts with # after
     * one, moves that # across the boundary without changing the count ("C#" and "y" read back as "C" and "#y"), so
     * a piece after the first that starts with # makes the pairing uncertain too. One id pairs with the whole list.
     */
    private static List<Received> split(String[] ids, String payloadList) {
        String payloadText = payloadList != null ? payloadList : "";
        if (ids.length == 1) {
            return List.of(new Received(ids[0], payloadText));
        }
        String[] payloads = BATCH_SEPARATOR.split(payloadText, -1);
        boolean hashAtABoundary = Arrays.stream(payloads).skip(1).anyMatch(payload -> payload.startsWith("#"));
        if (ids.length != payloads.length || hashAtABoundary) {
            return null;
        }
        List<Received> messages = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            messages.add(new Received(ids[i], payloads[i]));
        }
        return messages;
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T invoke() throws TencentCloudSDKException;
    }

    private <T> T call(String action, String topic, SdkCall<T> call) {
        RequestRateLimiter limiter = rateLimiters.get(action);
        waitForSlot(limiter, action, topic);
        T response;
        long start = System.nanoTime();
        try {
            response = call.invoke();
        } catch (TencentCloudSDKException e) {
            TdmqHttpException failure = translate(action, topic, e);
            if (limiter != null && TdmqHttpErrorCodes.isThrottling(failure.getErrorCode())) {
                limiter.throttled();
            }
            throw failure;
        } catch (RuntimeException e) {
            // The SDK throws a bare NullPointerException for an empty body or "{}", and JSON errors for other junk.
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, null,
                    "the SDK could not read the answer (" + e.getClass().getSimpleName() + "): the body is empty or"
                    + " not an API 3.0 response", e);
        }
        if (response == null) {
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, null,
                    "the SDK returned no response", null);
        }
        QuickestCall quickest = quickestCalls.get(action);
        if (quickest != null) {
            quickest.record(System.nanoTime() - start);
        }
        if (limiter != null) {
            limiter.passed();
        }
        return response;
    }

    /**
     * The quickest answer to a send (SendMessages or SendBatchMessages) of the last two 5-second windows in which sends
     * answered, in nanoseconds, or 0 before the first: the round trip to the API without the time calls spend waiting
     * for a connection or a slot of the limiter.
     */
    public long quickestRecentSend() {
        return quickestCalls.get(sendAction()).nanos();
    }

    /** The calls a second the limiter of an action allows now, or 0 when the action has no limiter. */
    public double currentRate(String action) {
        RequestRateLimiter limiter = rateLimiters.get(action);
        return limiter != null ? limiter.currentRate() : 0;
    }

    /** The quickest of the calls of two windows of 5 s, the current one and the one before. */
    private static final class QuickestCall {

        private static final long WINDOW = TimeUnit.SECONDS.toNanos(5);

        private long windowStart = System.nanoTime();
        private long current = Long.MAX_VALUE;
        private long previous = Long.MAX_VALUE;

        synchronized void record(long nanos) {
            long now = System.nanoTime();
            if (now - windowStart > WINDOW) {
                previous = current;
                current = Long.MAX_VALUE;
                windowStart = now;
            }
            current = Math.min(current, nanos);
        }

        synchronized long nanos() {
            long quickest = Math.min(current, previous);
            return quickest == Long.MAX_VALUE ? 0 : quickest;
        }
    }

    private static void waitForSlot(RequestRateLimiter limiter, String action, String topic) {
        if (limiter == null) {
            return;
        }
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.NETWORK_ERROR, null,
                    "interrupted while waiting for a request slot (maxRequestsPerSecond); the route is stopping", e);
        }
    }

    private static TdmqHttpException translate(String action, String topic, TencentCloudSDKException e) {
        String code = e.getErrorCode();
        if (!isEmpty(code)) {
            return new TdmqHttpException(action, topic, code, e.getRequestId(), e.getMessage(), e);
        }
        // The SDK gives no code when there was no answer (the cause is the IOException) or when it could not parse it.
        Throwable cause = e.getCause();
        if (cause instanceof IOException) {
            return new TdmqHttpException(action, topic, TdmqHttpErrorCodes.NETWORK_ERROR, null,
                    "no answer (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() != null ? ": " + cause.getMessage() : "") + ")", e);
        }
        return new TdmqHttpException(action, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, e.getRequestId(),
                "the answer could not be read (" + e.getMessage() + ")", e);
    }

    private static void requireSuccess(String action, String topic, String errorMsg, String requestId) {
        if (!isEmpty(errorMsg) && !"success".equalsIgnoreCase(errorMsg.strip())) {
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.UNEXPECTED_ERROR_MSG, requestId,
                    "TDMQ answered without an error code but with ErrorMsg \"" + errorMsg + "\"", null);
        }
    }

    private static String idsOf(List<Received> messages) {
        return namedIds(messages.stream().map(Received::messageId).toList());
    }

    /** The first ids of a list, and how many more there are, for a log line or an error message. */
    public static String namedIds(List<String> ids) {
        return ids.stream().limit(NAMED_IDS).collect(Collectors.joining(", "))
               + (ids.size() > NAMED_IDS ? " and " + (ids.size() - NAMED_IDS) + " more" : "");
    }

    /** An empty property (e.g. an unset environment variable in a placeholder) means "not set", not "". */
    private static String unlessBlank(String text) {
        return isEmpty(text) ? null : text;
    }
}
