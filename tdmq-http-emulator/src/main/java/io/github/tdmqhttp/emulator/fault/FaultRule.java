package io.github.tdmqhttp.emulator.fault;

import java.util.Objects;
import java.util.Set;

/**
 * One kind of failure to inject into API answers, immutable: build it with a static factory, narrow it with the
 * withers, then {@link Faults#add add} it.
 *
 * <pre>{@code
 * emulator.faults().add(FaultRule.errorCode("InternalError", "boom").forAction("SendMessages").rate(0.05).times(10));
 * emulator.faults().add(FaultRule.connectionReset().forAction("AcknowledgeMessage").afterProcessing());
 * }</pre>
 *
 * <p>By default a rule applies to every action, always, without limit, and before processing: the action is not
 * executed and nothing changes. {@link #afterProcessing()} executes the action first and then replaces its answer,
 * which is the realistic "stored, but the answer was lost" case.
 */
public final class FaultRule {

    /** The four actions a rule can be narrowed to. */
    public static final Set<String> ACTIONS =
            Set.of("SendMessages", "SendBatchMessages", "ReceiveMessage", "AcknowledgeMessage");

    /** {@link #times()} of a rule without a limit. */
    public static final int UNLIMITED = -1;

    /** What a rule does to the answer. */
    public enum Kind {
        /** HTTP 200 with the API error shape: {@code {"Response":{"Error":{"Code":..,"Message":..},..}}}. */
        ERROR_CODE,
        /** Any HTTP status with any body, e.g. a gateway's HTML 502 page. */
        HTTP_STATUS,
        /** The connection is reset by the server instead of an answer. */
        CONNECTION_RESET,
        /** HTTP 200 with an empty body. */
        EMPTY_BODY,
        /** HTTP 200 with a JSON answer cut in the middle. */
        TRUNCATED_JSON,
        /** HTTP 200, the success shape of the action with this ErrorMsg and no Error object. */
        ERROR_MSG
    }

    private final Kind kind;
    private final String code;
    private final String message;
    private final int status;
    private final String contentType;
    private final String body;
    private final String action;
    private final double rate;
    private final int times;
    private final boolean afterProcessing;

    private FaultRule(Kind kind, String code, String message, int status, String contentType, String body,
                      String action, double rate, int times, boolean afterProcessing) {
        this.kind = kind;
        this.code = code;
        this.message = message;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.action = action;
        this.rate = rate;
        this.times = times;
        this.afterProcessing = afterProcessing;
    }

    private static FaultRule of(Kind kind, String code, String message, int status, String contentType, String body) {
        return new FaultRule(kind, code, message, status, contentType, body, null, 1.0, UNLIMITED, false);
    }

    /** Answers the API error {@code code} (e.g. {@code InternalError}, {@code RequestLimitExceeded}). */
    public static FaultRule errorCode(String code, String message) {
        requireText(code, "code");
        return of(Kind.ERROR_CODE, code, Objects.requireNonNull(message, "message"), 200, null, null);
    }

    /** Answers an HTTP status other than the API's 200, with this content type and body. */
    public static FaultRule httpStatus(int status, String contentType, String body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status (100-599), was " + status);
        }
        return of(Kind.HTTP_STATUS, null, null, status, requireText(contentType, "contentType"),
                Objects.requireNonNull(body, "body"));
    }

    /** The HTML 502 page a gateway answers when the service behind it is down. */
    public static FaultRule badGatewayHtml() {
        return httpStatus(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }

    /** Resets the connection instead of answering. */
    public static FaultRule connectionReset() {
        return of(Kind.CONNECTION_RESET, null, null, 0, null, null);
    }

    /** Answers HTTP 200 with an empty body. */
    public static FaultRule emptyBody() {
        return of(Kind.EMPTY_BODY, null, null, 200, null, null);
    }

    /** Answers HTTP 200 with the first half of the JSON answer. */
    public static FaultRule truncatedJson() {
        return of(Kind.TRUNCATED_JSON, null, null, 200, null, null);
    }

    /**
     * Answers HTTP 200 with the success shape of the action but this ErrorMsg and no Error object, as the documented
     * AcknowledgeMessage example does ({@code "ErrorMsg": "ack error"}).
     */
    public static FaultRule errorMsg(String errorMsg) {
        return of(Kind.ERROR_MSG, null, Objects.requireNonNull(errorMsg, "errorMsg"), 200, null, null);
    }

    /** Only for this action: SendMessages, SendBatchMessages, ReceiveMessage or AcknowledgeMessage. */
    public FaultRule forAction(String action) {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of " + ACTIONS + ", was " + action);
        }
        return new FaultRule(kind, code, message, status, contentType, body, action, rate, times, afterProcessing);
    }

    /** The probability that a matching request gets the fault, from 0 to 1. */
    public FaultRule rate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        return new FaultRule(kind, code, message, status, contentType, body, action, rate, times, afterProcessing);
    }

    /** At most this many injections; then the rule stays listed but does nothing. */
    public FaultRule times(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        return new FaultRule(kind, code, message, status, contentType, body, action, rate, times, afterProcessing);
    }

    /** Execute the action, then replace its answer: the state changes but the client does not learn it. */
    public FaultRule afterProcessing() {
        return afterProcessing(true);
    }

    /** Whether the action is executed before its answer is replaced. */
    public FaultRule afterProcessing(boolean afterProcessing) {
        return new FaultRule(kind, code, message, status, contentType, body, action, rate, times, afterProcessing);
    }

    public Kind kind() {
        return kind;
    }

    /** The error code of an {@link Kind#ERROR_CODE} rule, else null. */
    public String code() {
        return code;
    }

    /** The error message of an {@link Kind#ERROR_CODE} rule, the ErrorMsg of an {@link Kind#ERROR_MSG} rule, else null. */
    public String message() {
        return message;
    }

    /** The HTTP status the rule answers (0 for a connection reset). */
    public int status() {
        return status;
    }

    /** The content type of an {@link Kind#HTTP_STATUS} rule, else null. */
    public String contentType() {
        return contentType;
    }

    /** The body of an {@link Kind#HTTP_STATUS} rule, else null. */
    public String body() {
        return body;
    }

    /** The action the rule is narrowed to, or null for every action. */
    public String action() {
        return action;
    }

    public double rate() {
        return rate;
    }

    /** The most injections, or {@link #UNLIMITED}. */
    public int times() {
        return times;
    }

    public boolean isAfterProcessing() {
        return afterProcessing;
    }

    /** Whether the rule applies to requests of {@code requestAction}. */
    public boolean appliesTo(String requestAction) {
        return action == null || action.equals(requestAction);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind.name());
        switch (kind) {
            case ERROR_CODE -> text.append(' ').append(code).append(" \"").append(message).append('"');
            case HTTP_STATUS -> text.append(' ').append(status).append(' ').append(contentType);
            case ERROR_MSG -> text.append(" \"").append(message).append('"');
            default -> { }
        }
        text.append(" for ").append(action == null ? "every action" : action);
        if (rate < 1) {
            text.append(", rate ").append(rate);
        }
        if (times != UNLIMITED) {
            text.append(", at most ").append(times).append(" times");
        }
        if (afterProcessing) {
            text.append(", after processing");
        }
        return text.toString();
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
