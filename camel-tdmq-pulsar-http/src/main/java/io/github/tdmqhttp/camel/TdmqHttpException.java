package io.github.tdmqhttp.camel;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.util.ObjectHelper;

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
    private final boolean safeToRetry;

    public TdmqHttpException(String action, String topic, String errorCode, String requestId, String detail,
                             Throwable cause) {
        this(action, topic, errorCode, requestId, TdmqHttpErrorCodes.isRetryable(errorCode),
             TdmqHttpErrorCodes.isSafeToRetry(action, errorCode, cause), detail, cause);
    }

    protected TdmqHttpException(String action, String topic, String errorCode, String requestId, boolean retryable,
                                boolean safeToRetry, String detail, Throwable cause) {
        super(describe(action, topic, errorCode, requestId, detail), cause);
        this.action = action;
        this.topic = topic;
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.retryable = retryable;
        this.safeToRetry = safeToRetry;
    }

    /**
     * A refusal before any call was made: the input or the configuration is wrong, and trying again will not help.
     * Internal: the component makes these; applications read them.
     */
    public static TdmqHttpException refused(String action, String topic, String errorCode, String detail) {
        return new TdmqHttpException(action, topic, errorCode, null, false, false, detail, null);
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

    /**
     * Whether the same call can succeed if tried again (throttling, server or network trouble). For a send this does
     * not say that the message was not stored: trying it again may store it twice, unless {@link #isSafeToRetry()}.
     */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * Whether the call can be tried again without storing a message twice: it is {@link #isRetryable() retryable},
     * and it is an acknowledgement (idempotent) or a send that certainly stored nothing (throttled, connection
     * refused, not made). The component retries these failures itself, up to maxRetries times.
     */
    public boolean isSafeToRetry() {
        return safeToRetry;
    }

    private static String describe(String action, String topic, String errorCode, String requestId, String detail) {
        StringBuilder text = new StringBuilder(action);
        if (topic != null) {
            text.append(" on topic ").append(topic);
        }
        text.append(" failed with ").append(errorCode);
        if (ObjectHelper.isNotEmpty(detail)) {
            String sentence = detail.strip();
            text.append(": ").append(sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence);
        }
        if (ObjectHelper.isNotEmpty(requestId)) {
            text.append(" (request id ").append(requestId).append(')');
        }
        String hint = TdmqHttpErrorCodes.hint(errorCode);
        if (hint != null) {
            text.append(". ").append(hint);
        }
        return text.toString();
    }
}
