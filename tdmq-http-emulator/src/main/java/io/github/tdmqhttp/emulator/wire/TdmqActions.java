package io.github.tdmqhttp.emulator.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tdmqhttp.emulator.model.BatchingLimits;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.model.BrokerException;
import io.github.tdmqhttp.emulator.model.InitialPosition;
import io.github.tdmqhttp.emulator.model.MessageId;
import io.github.tdmqhttp.emulator.model.ReceiveLimits;
import io.github.tdmqhttp.emulator.model.ReceivedMessage;
import io.github.tdmqhttp.emulator.model.TopicName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The four actions: reads the request fields, calls the broker, and shapes the answer as the service does.
 */
final class TdmqActions {

    static final String SUCCESS = "success";
    /** ReceiveMessage's default ReceiverQueueSize, which also caps MaxNumMessages (as Pulsar caps batch receive). */
    static final int DEFAULT_RECEIVER_QUEUE_SIZE = 1000;
    /** The longest a batch receive waits, whatever Timeout says. */
    static final Duration MAX_BATCH_TIMEOUT = Duration.ofSeconds(10);
    /** How a batch joins ids and payloads; the service does not escape it inside payloads. */
    static final String BATCH_SEPARATOR = "###";

    private final Broker broker;
    private final ObjectMapper json;
    private final Set<String> stringTokens;
    private final Supplier<Duration> receiveWait;
    /** Null when concurrent sends may share a ProducerName (a leniency). */
    private final ProducerNames producerNames;

    TdmqActions(Broker broker, ObjectMapper json, Set<String> stringTokens, Supplier<Duration> receiveWait,
                boolean shareProducerNames) {
        this.broker = broker;
        this.json = json;
        this.stringTokens = Set.copyOf(stringTokens);
        this.receiveWait = receiveWait;
        this.producerNames = shareProducerNames ? null : new ProducerNames();
    }

    /**
     * @param answerDelayMillis how long after this call the answer leaves (the latency), for which a ProducerName
     *                          stays held
     */
    ApiAnswer execute(Action action, byte[] body, long answerDelayMillis) {
        try {
            RequestBody request = RequestBody.parse(json, body, action.fields());
            return switch (action) {
                case SEND_MESSAGES, SEND_BATCH_MESSAGES -> send(action, request, answerDelayMillis);
                case RECEIVE_MESSAGE -> receive(request);
                case ACKNOWLEDGE_MESSAGE -> acknowledge(request);
            };
        } catch (ApiException refused) {
            return ApiAnswer.error(refused);
        } catch (BrokerException refused) {
            return new ApiAnswer.Error(codeOf(refused.reason()), refused.getMessage());
        }
    }

    /** The success shape of {@code action} with empty fields: what an ErrorMsg fault answers without processing. */
    static ApiAnswer.Success emptySuccess(Action action) {
        Map<String, String> fields = new LinkedHashMap<>();
        switch (action) {
            case SEND_MESSAGES, SEND_BATCH_MESSAGES -> fields.put("MessageId", "");
            case RECEIVE_MESSAGE -> {
                fields.put("MessageID", "");
                fields.put("MessagePayload", "");
                fields.put("AckTopic", "");
                fields.put("SubName", "");
                fields.put("MessageIDList", "");
                fields.put("MessagesPayload", "");
            }
            case ACKNOWLEDGE_MESSAGE -> { }
        }
        fields.put("ErrorMsg", SUCCESS);
        return new ApiAnswer.Success(fields);
    }

    private ApiAnswer send(Action action, RequestBody request, long answerDelayMillis) throws ApiException {
        String topic = topic(request, "Topic");
        String payload = request.requiredString("Payload");
        String stringToken = request.optionalString("StringToken");
        String producerName = request.optionalString("ProducerName");
        request.optionalNonNegativeLong("SendTimeout");
        request.optionalNonNegativeLong("MaxPendingMessages");
        BatchingLimits batching = action == Action.SEND_BATCH_MESSAGES ? batchingLimits(request) : null;
        if (!stringTokens.isEmpty() && (stringToken == null || !stringTokens.contains(stringToken))) {
            throw new ApiException(ErrorCodes.TOKEN_NOT_FOUND, stringToken == null
                    ? "The parameter `StringToken` is required: this emulator was started with role tokens."
                    : "The StringToken is not a role token of this emulator.");
        }
        boolean holdsName = producerNames != null && producerName != null && !producerName.isEmpty();
        if (holdsName) {
            producerNames.hold(producerName);
        }
        Map<String, String> fields = new LinkedHashMap<>(4);
        try {
            MessageId id = batching == null ? broker.send(topic, payload)
                    : broker.sendBatched(topic, payload, batching);
            fields.put("MessageId", MessageIdText.sent(id));
        } finally {
            if (holdsName) {
                producerNames.release(producerName, answerDelayMillis);
            }
        }
        fields.put("ErrorMsg", SUCCESS);
        return new ApiAnswer.Success(fields);
    }

    private ApiAnswer receive(RequestBody request) throws ApiException {
        String topic = topic(request, "Topic");
        String subscription = nonEmpty(request, "SubscriptionName");
        Long queueSize = request.optionalLong("ReceiverQueueSize");
        InitialPosition position = position(request.optionalString("SubInitialPosition"));
        long maxNumMessages = orZero(request.optionalNonNegativeLong("MaxNumMessages"));
        long maxNumBytes = orZero(request.optionalNonNegativeLong("MaxNumBytes"));
        long timeoutMillis = orZero(request.optionalNonNegativeLong("Timeout"));

        int queue = queueSize == null || queueSize <= 0
                ? DEFAULT_RECEIVER_QUEUE_SIZE : (int) Math.min(queueSize, Integer.MAX_VALUE);
        boolean batch = maxNumMessages > 0 || maxNumBytes > 0 || timeoutMillis > 0;
        ReceiveLimits limits;
        if (batch) {
            int count = (int) Math.min(maxNumMessages > 0 ? maxNumMessages : queue, queue);
            Duration wait = timeoutMillis > 0 ? Duration.ofMillis(timeoutMillis) : receiveWait.get();
            limits = new ReceiveLimits(count, maxNumBytes, wait.compareTo(MAX_BATCH_TIMEOUT) > 0 ? MAX_BATCH_TIMEOUT : wait);
        } else {
            limits = ReceiveLimits.single(receiveWait.get());
        }

        List<ReceivedMessage> messages;
        try {
            messages = broker.receive(topic, subscription, position, limits);
        } catch (InterruptedException stopping) {
            // The server is stopping; this answer is never written.
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCodes.INTERNAL_ERROR, "The emulator is stopping.");
        }
        if (messages.isEmpty()) {
            // As an empty topic answers; the hint says why, for whoever reads the message.
            boolean blocked = isBlocked(topic, subscription);
            throw new ApiException(ErrorCodes.RECEIVE_TIMEOUT, "No message arrived on topic " + topic
                    + " for subscription `" + subscription + "` within " + limits.maxWait().toMillis() + " ms."
                    + (blocked ? " (The subscription holds the topic's limit of unacknowledged messages on a"
                    + " partition: acknowledge what it received to receive more.)" : ""));
        }
        StringBuilder ids = new StringBuilder();
        StringBuilder payloads = new StringBuilder();
        for (ReceivedMessage message : messages) {
            if (!ids.isEmpty()) {
                ids.append(BATCH_SEPARATOR);
                payloads.append(BATCH_SEPARATOR);
            }
            // The reference shows three-part ids for a single receive and four-part ones in a batch's list; a message
            // of a batch entry keeps its batch index in both (MessageIdText).
            ids.append(batch ? MessageIdText.receivedInBatch(message.messageId())
                    : MessageIdText.receivedAlone(message.messageId()));
            payloads.append(message.payload());
        }
        ReceivedMessage first = messages.get(0);
        Map<String, String> fields = new LinkedHashMap<>(8);
        fields.put("MessageID", batch ? MessageIdText.receivedInBatch(first.messageId())
                : MessageIdText.receivedAlone(first.messageId()));
        fields.put("MessagePayload", first.payload());
        fields.put("AckTopic", topic);
        fields.put("ErrorMsg", SUCCESS);
        fields.put("SubName", subscription);
        fields.put("MessageIDList", ids.toString());
        fields.put("MessagesPayload", payloads.toString());
        return new ApiAnswer.Success(fields);
    }

    private ApiAnswer acknowledge(RequestBody request) throws ApiException {
        String messageId = request.requiredString("MessageId");
        String topic = topic(request, "AckTopic");
        String subscription = nonEmpty(request, "SubName");
        MessageId id = MessageIdText.parse(messageId).orElseThrow(() -> new ApiException(ErrorCodes.MESSAGE_ID_ERROR,
                "The message id `" + messageId + "` is not of the form ledger:entry:partition or"
                + " ledger:entry:partition:batchIndex."));
        broker.acknowledge(topic, subscription, id);
        Map<String, String> fields = new LinkedHashMap<>(2);
        fields.put("ErrorMsg", SUCCESS);
        return new ApiAnswer.Success(fields);
    }

    private static String topic(RequestBody request, String field) throws ApiException {
        String topic = request.requiredString(field);
        if (!TopicName.isValid(topic)) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "The parameter `" + field + "` must be the full"
                    + " topic path " + TopicName.EXPECTED_FORM + ", was `" + topic + "`.");
        }
        return topic;
    }

    private static String nonEmpty(RequestBody request, String field) throws ApiException {
        String value = request.requiredString(field);
        if (value.isBlank()) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE, "The parameter `" + field + "` must not be empty.");
        }
        return value;
    }

    private static InitialPosition position(String value) throws ApiException {
        if (value == null) {
            // The API reference: "Default value: Earliest".
            return InitialPosition.EARLIEST;
        }
        return switch (value) {
            case "Earliest" -> InitialPosition.EARLIEST;
            case "Latest" -> InitialPosition.LATEST;
            default -> throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE,
                    "The parameter `SubInitialPosition` must be `Earliest` or `Latest`, was `" + value + "`.");
        };
    }

    /** Whether the subscription holds its limit of unacknowledged messages on a partition; false if it is gone. */
    private boolean isBlocked(String topic, String subscription) {
        try {
            return broker.subscriptionStats(topic, subscription).blockedOnUnacknowledged();
        } catch (BrokerException dropped) {
            // The topic was reset while the receive waited: the answer stays the empty topic's.
            return false;
        }
    }

    /** The request's batching limits; each absent one takes the reference's default. */
    private static BatchingLimits batchingLimits(RequestBody request) throws ApiException {
        Long maxMessages = request.optionalNonNegativeLong("BatchingMaxMessages");
        Long maxPublishDelay = request.optionalNonNegativeLong("BatchingMaxPublishDelay");
        Long maxBytes = request.optionalNonNegativeLong("BatchingMaxBytes");
        BatchingLimits defaults = BatchingLimits.DEFAULTS;
        return new BatchingLimits(
                maxMessages == null ? defaults.maxMessages() : (int) Math.min(maxMessages, Integer.MAX_VALUE),
                maxBytes == null ? defaults.maxBytes() : maxBytes,
                maxPublishDelay == null ? defaults.maxPublishDelay() : Duration.ofMillis(maxPublishDelay));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    static String codeOf(BrokerException.Reason reason) {
        return switch (reason) {
            case INVALID_TOPIC_NAME, SUBSCRIPTION_NOT_FOUND, TOPIC_EXISTS -> ErrorCodes.INVALID_PARAMETER_VALUE;
            case TOPIC_NOT_FOUND -> ErrorCodes.TOPIC_NOT_FOUND;
            case TENANT_NOT_FOUND -> ErrorCodes.TENANT_NOT_FOUND;
            case TOPIC_NOT_PARTITIONED -> ErrorCodes.TOPIC_TYPE_ERROR;
            case MESSAGE_TOO_LARGE -> ErrorCodes.MAX_MESSAGE_SIZE;
        };
    }
}
