package io.github.tdmqhttp.camel;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import com.tencentcloudapi.common.provider.DefaultCredentialsProvider;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesResponse;

/**
 * The only code that touches the Tencent Cloud SDK. It builds the client and the requests, and turns every way a call
 * can go wrong (an error code, a non-200 answer, an I/O failure, an answer the SDK cannot read, an ErrorMsg that is
 * not "success", a batch that does not split) into a {@link TdmqHttpException}. One call, no retries: retrying is the
 * caller's choice.
 */
final class TdmqHttpGateway {

    static final String SEND_MESSAGES = "SendMessages";
    static final String SEND_BATCH_MESSAGES = "SendBatchMessages";
    static final String RECEIVE_MESSAGE = "ReceiveMessage";
    static final String ACKNOWLEDGE_MESSAGE = "AcknowledgeMessage";

    /** TDMQ joins the ids and the payloads of a batch receive with this, unescaped. */
    private static final Pattern BATCH_SEPARATOR = Pattern.compile("###", Pattern.LITERAL);
    private static final int NAMED_IDS = 10;

    private final TdmqClient client;
    private final TdmqHttpConfiguration configuration;
    /** The limiter of each action, looked up once; no entry means no limit. */
    private final Map<String, RequestRateLimiter> rateLimiters = new HashMap<>();

    TdmqHttpGateway(TdmqClient client, TdmqHttpConfiguration configuration,
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

    /**
     * A gateway on the configured client bean, or on a new client built from the connection and security options.
     *
     * @param rateLimiters the limiter of an action, or null when the action has none
     */
    static TdmqHttpGateway create(TdmqHttpConfiguration configuration,
                                  Function<String, RequestRateLimiter> rateLimiters) {
        TdmqClient client = configuration.getClient() != null ? configuration.getClient() : newClient(configuration);
        return new TdmqHttpGateway(client, configuration, rateLimiters);
    }

    /** A sent message: the id TDMQ gave it, and the RequestId of the call. */
    record Sent(String messageId, String requestId) {
    }

    /** One received message. */
    record Received(String messageId, String payload) {
    }

    /** What one ReceiveMessage call returned: no message (an idle poll), one, or a batch. */
    record ReceivedBatch(List<Received> messages, String ackTopic, String subscription, String requestId) {

        static ReceivedBatch idle(String requestId) {
            return new ReceivedBatch(List.of(), null, null, requestId);
        }

        boolean isIdle() {
            return messages.isEmpty();
        }
    }

    /** The SDK client this gateway calls. */
    TdmqClient client() {
        return client;
    }

    /** The action a send uses: SendBatchMessages when batching is on. */
    String sendAction() {
        return configuration.isBatching() ? SEND_BATCH_MESSAGES : SEND_MESSAGES;
    }

    Sent send(String topic, String payload) {
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
        if (isBlank(messageId)) {
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, requestId,
                    "the answer has no MessageId, so whether the message was stored is unknown", null);
        }
        return new Sent(messageId, requestId);
    }

    /** One ReceiveMessage call, in batch mode when maxMessagesPerPoll is above 1. */
    ReceivedBatch receive(String topic) {
        boolean batch = configuration.getMaxMessagesPerPoll() > 1;
        ReceiveMessageRequest request = new ReceiveMessageRequest();
        request.setTopic(topic);
        request.setSubscriptionName(configuration.getSubscription());
        request.setSubInitialPosition(configuration.getSubInitialPosition().name());
        if (configuration.getReceiverQueueSize() != null) {
            request.setReceiverQueueSize(configuration.getReceiverQueueSize().longValue());
        }
        if (batch) {
            request.setMaxNumMessages((long) configuration.getMaxMessagesPerPoll());
            if (configuration.getMaxNumBytes() != null) {
                request.setMaxNumBytes(configuration.getMaxNumBytes().longValue());
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
        List<Received> messages = batch && !isBlank(response.getMessageIDList())
                ? split(topic, response.getMessageIDList(), response.getMessagesPayload(), requestId)
                : single(topic, response, requestId);
        if (isBlank(response.getAckTopic()) || isBlank(response.getSubName())) {
            throw new TdmqHttpException(RECEIVE_MESSAGE, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, requestId,
                    "the answer has messages (" + idsOf(messages) + ") but no " + (isBlank(response.getAckTopic())
                            ? "AckTopic" : "SubName") + ", without which they cannot be acknowledged; they were not"
                    + " delivered and TDMQ will deliver them again after the ack timeout", null);
        }
        return new ReceivedBatch(messages, response.getAckTopic(), response.getSubName(), requestId);
    }

    /** Acknowledges one message with the ack topic and subscription its receive returned; returns the RequestId. */
    String acknowledge(String messageId, String ackTopic, String subscription) {
        AcknowledgeMessageRequest request = new AcknowledgeMessageRequest();
        request.setMessageId(messageId);
        request.setAckTopic(ackTopic);
        request.setSubName(subscription);
        AcknowledgeMessageResponse response = call(ACKNOWLEDGE_MESSAGE, ackTopic,
                () -> client.AcknowledgeMessage(request));
        requireSuccess(ACKNOWLEDGE_MESSAGE, ackTopic, response.getErrorMsg(), response.getRequestId());
        return response.getRequestId();
    }

    private static List<Received> single(String topic, ReceiveMessageResponse response, String requestId) {
        if (isBlank(response.getMessageID())) {
            throw new TdmqHttpException(RECEIVE_MESSAGE, topic, TdmqHttpErrorCodes.INVALID_RESPONSE, requestId,
                    "the answer is a success with neither MessageID nor MessageIDList", null);
        }
        String payload = response.getMessagePayload();
        return List.of(new Received(response.getMessageID(), payload != null ? payload : ""));
    }

    /**
     * Pairs the ###-joined ids and payloads, or refuses the whole batch when the split is not certain: never guess.
     * A payload that contains ### gives more pieces than ids; one that ends with # before a separator, or starts with
     * # after one, moves that # across the boundary without changing the count ("C#" and "y" read back as "C" and
     * "#y"), so a piece after the first that starts with # is refused too.
     */
    private static List<Received> split(String topic, String idList, String payloadList, String requestId) {
        String[] ids = BATCH_SEPARATOR.split(idList, -1);
        String[] payloads = BATCH_SEPARATOR.split(payloadList != null ? payloadList : "", -1);
        boolean hashAtABoundary = Arrays.stream(payloads).skip(1).anyMatch(payload -> payload.startsWith("#"));
        if (ids.length != payloads.length || hashAtABoundary) {
            String named = Arrays.stream(ids).limit(NAMED_IDS).collect(Collectors.joining(", "))
                           + (ids.length > NAMED_IDS ? " and " + (ids.length - NAMED_IDS) + " more" : "");
            throw new TdmqHttpException(RECEIVE_MESSAGE, topic, TdmqHttpErrorCodes.BATCH_SPLIT_MISMATCH, requestId,
                    "the batch has " + ids.length + " message ids (" + named + ") and " + payloads.length
                    + " payloads once split on ###" + (hashAtABoundary ? ", one of which starts with #," : "")
                    + " so ids and payloads cannot be paired for certain. None of them was delivered or"
                    + " acknowledged; TDMQ will deliver them again after the ack timeout", null);
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
        if (limiter != null) {
            limiter.passed();
        }
        return response;
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
        if (!isBlank(code)) {
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
        if (!isBlank(errorMsg) && !"success".equalsIgnoreCase(errorMsg.strip())) {
            throw new TdmqHttpException(action, topic, TdmqHttpErrorCodes.UNEXPECTED_ERROR_MSG, requestId,
                    "TDMQ answered without an error code but with ErrorMsg \"" + errorMsg + "\"", null);
        }
    }

    private static String idsOf(List<Received> messages) {
        return messages.stream().map(Received::messageId).limit(NAMED_IDS).collect(Collectors.joining(", "));
    }

    // Building the client

    /** Where the API is: the scheme and the host[:port] the SDK wants separately. */
    record ApiAddress(String protocol, String host) {

        /** A host (reached over HTTPS) or an http(s) URL, e.g. {@code http://127.0.0.1:9090}. */
        static ApiAddress parse(String endpoint) {
            if (isBlank(endpoint)) {
                throw new IllegalArgumentException("The tdmq-http endpoint option is empty: leave it unset for "
                                                   + TdmqHttpConfiguration.DEFAULT_ENDPOINT
                                                   + ", or set a host or a URL such as http://127.0.0.1:9090");
            }
            String trimmed = endpoint.strip();
            if (!trimmed.contains("://")) {
                return new ApiAddress(HttpProfile.REQ_HTTPS, stripSlash(trimmed));
            }
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                throw invalidEndpoint(endpoint);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || isBlank(uri.getHost())) {
                throw invalidEndpoint(endpoint);
            }
            String host = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
            return new ApiAddress(scheme + "://", host);
        }

        String url() {
            return protocol + host;
        }

        private static String stripSlash(String host) {
            return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
        }

        private static IllegalArgumentException invalidEndpoint(String endpoint) {
            return new IllegalArgumentException("The tdmq-http endpoint option '" + endpoint + "' is neither a host"
                                                + " nor an http(s) URL: use e.g. " + TdmqHttpConfiguration.DEFAULT_ENDPOINT
                                                + " or http://127.0.0.1:9090");
        }
    }

    private static TdmqClient newClient(TdmqHttpConfiguration configuration) {
        ApiAddress address = ApiAddress.parse(configuration.getEndpoint());
        HttpProfile http = new HttpProfile();
        http.setEndpoint(address.host());
        http.setProtocol(address.protocol());
        http.setConnTimeout(seconds(configuration.getConnectTimeout()));
        http.setReadTimeout(seconds(configuration.getReadTimeout()));
        http.setWriteTimeout(seconds(configuration.getWriteTimeout()));
        if (!isBlank(configuration.getProxyHost())) {
            http.setProxyHost(configuration.getProxyHost());
            http.setProxyPort(configuration.getProxyPort() != null ? configuration.getProxyPort() : 80);
            http.setProxyUsername(configuration.getProxyUsername());
            http.setProxyPassword(configuration.getProxyPassword());
        }
        // The SDK's debug logging stays off: it would log the Authorization header and the session token in clear.
        ClientProfile profile = new ClientProfile(ClientProfile.SIGN_TC3_256, http);
        return new TdmqClient(credentialOf(configuration), configuration.getRegion(), profile);
    }

    /** The SDK counts whole seconds and takes 0 as "forever"; round up so a finite timeout stays finite. */
    private static int seconds(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    static final String NO_CREDENTIALS = "No Tencent Cloud credentials for tdmq-http. Set secretId and secretKey"
                                         + " (endpoint options, or camel.component.tdmq-http.secret-id and"
                                         + " camel.component.tdmq-http.secret-key), or the environment variables"
                                         + " TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or secret_id and"
                                         + " secret_key in the [default] section of ~/.tencentcloud/credentials;"
                                         + " on a CVM instance, attach a CAM role to it";

    private static Credential credentialOf(TdmqHttpConfiguration configuration) {
        String id = configuration.getSecretId();
        String key = configuration.getSecretKey();
        if (!isBlank(id) || !isBlank(key)) {
            if (isBlank(id) || isBlank(key)) {
                throw new IllegalArgumentException("tdmq-http has " + (isBlank(id) ? "secretKey but no secretId"
                        : "secretId but no secretKey") + ": set both, or neither to use the default credentials"
                        + " chain (environment variables, profile file, CVM role)");
            }
            String token = configuration.getSessionToken();
            return isBlank(token) ? new Credential(id, key) : new Credential(id, key, token);
        }
        if (!isBlank(configuration.getSessionToken())) {
            throw new IllegalArgumentException("tdmq-http has a sessionToken but no secretId and secretKey: temporary"
                                               + " credentials need all three");
        }
        CredentialsProvider provider = configuration.getCredentialsProvider() != null
                ? configuration.getCredentialsProvider() : new DefaultCredentialsProvider();
        Credential credential;
        try {
            credential = provider.getCredentials();
        } catch (TencentCloudSDKException | RuntimeException e) {
            // The chain's last provider throws when it finds nothing; earlier ones (CVM role) return nulls instead.
            credential = null;
        }
        if (credential == null || isBlank(credential.getSecretId()) || isBlank(credential.getSecretKey())) {
            throw new IllegalArgumentException(NO_CREDENTIALS);
        }
        return credential;
    }

    /** An empty property (e.g. an unset environment variable in a placeholder) means "not set", not "". */
    private static String unlessBlank(String text) {
        return isBlank(text) ? null : text;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
