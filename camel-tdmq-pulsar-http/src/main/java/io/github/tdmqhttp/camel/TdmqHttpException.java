package io.github.tdmqhttp.camel;

import org.apache.camel.RuntimeCamelException;

/**
 * Every failure of the tdmq-http component: a refused input, a failed API call, an answer that makes no sense. It
 * names the API action, the topic, the error code (TDMQ's, or one of {@link TdmqHttpErrorCodes}' own), the request id
 * when there was an answer, and whether trying again can help.
 */
public class TdmqHttpException extends RuntimeCamelException {

    private static final long serialVersionUID = 1L;

    private final String action;
    private final String topic;
    private final String errorCode;
    private final String requestId;
    private final boolean retryable;

    public TdmqHttpException(String action, String topic, String errorCode, String requestId, String detail,
                             Throwable cause) {
        this(action, topic, errorCode, requestId, TdmqHttpErrorCodes.isRetryable(errorCode), detail, cause);
    }

    protected TdmqHttpException(String action, String topic, String errorCode, String requestId, boolean retryable,
                                String detail, Throwable cause) {
        super(describe(action, topic, errorCode, requestId, detail), cause);
        this.action = action;
        this.topic = topic;
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.retryable = retryable;
    }

    /** A refusal before any call was made: the input or the configuration is wrong, and trying again will not help. */
    static TdmqHttpException refused(String action, String topic, String errorCode, String detail) {
        return new TdmqHttpException(action, topic, errorCode, null, false, detail, null);
    }

    /** The API action: SendMessages, SendBatchMessages, ReceiveMessage or AcknowledgeMessage. */
    public String getAction() {
        return action;
    }

    public String getTopic() {
        return topic;
    }

    /** TDMQ's error code, such as {@code InvalidParameterValue.TopicNotFound}, or one of {@link TdmqHttpErrorCodes}. */
    public String getErrorCode() {
        return errorCode;
    }

    /** The RequestId of the answer, or null when there was none (I/O failure, refused input). */
    public String getRequestId() {
        return requestId;
    }

    /** Whether the same call can succeed if tried again (throttling, server or network trouble). */
    public boolean isRetryable() {
        return retryable;
    }

    private static String describe(String action, String topic, String errorCode, String requestId, String detail) {
        StringBuilder text = new StringBuilder(action);
        if (topic != null) {
            text.append(" on topic ").append(topic);
        }
        text.append(" failed with ").append(errorCode);
        if (detail != null && !detail.isBlank()) {
            String sentence = detail.strip();
            text.append(": ").append(sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence);
        }
        if (requestId != null && !requestId.isBlank()) {
            text.append(" (request id ").append(requestId).append(')');
        }
        String hint = TdmqHttpErrorCodes.hint(errorCode);
        if (hint != null) {
            text.append(". ").append(hint);
        }
        return text.toString();
    }
}
