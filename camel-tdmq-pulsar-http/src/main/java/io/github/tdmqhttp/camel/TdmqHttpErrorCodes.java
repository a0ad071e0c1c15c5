package io.github.tdmqhttp.camel;


import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

/**
 * What the component knows about error codes: the service's codes it acts on, the codes it gives failures that have
 * none, which failures a retry can help, which of those are safe to repeat for a send, and what to do about each. This
 * is the only place that knowledge lives.
 */
public final class TdmqHttpErrorCodes {

    /** An empty topic: ReceiveMessage found nothing in time. An idle poll, not a failure. */
    public static final String RECEIVE_TIMEOUT = "FailedOperation.ReceiveTimeout";

    /** No answer: connection refused or reset, a timeout, any I/O failure. */
    public static final String NETWORK_ERROR = "NetworkError";
    /** The producer did not make the call: it was stopping, or the route thread was interrupted. */
    public static final String NOT_SENT = "NotSent";
    /** The server answered with an HTTP status other than 200 (the SDK's own code). */
    public static final String SERVER_SIDE_ERROR = "ServerSideError";
    /** The server answered 200 but not with a readable API 3.0 response: empty, not JSON, or missing a field. */
    public static final String INVALID_RESPONSE = "InvalidResponse";
    /** The answer had no error code but an ErrorMsg that is neither empty nor "success". */
    public static final String UNEXPECTED_ERROR_MSG = "UnexpectedErrorMsg";
    /** The body cannot be sent: null, over 1 MB, not valid UTF-8 in TEXT mode, or not base64 when received. */
    public static final String INVALID_PAYLOAD = "InvalidPayload";
    /** A topic that is not of the form cluster/namespace/topic. */
    public static final String INVALID_TOPIC = "InvalidTopic";
    /** The acknowledge operation misses a header it needs. */
    public static final String MISSING_HEADER = "MissingHeader";
    /** The service refused to send an answer this large (API 3.0 common error; Tencent publishes no size). */
    public static final String RESPONSE_SIZE_LIMIT_EXCEEDED = "ResponseSizeLimitExceeded";

    private static final Set<String> RETRYABLE = Set.of(
            NETWORK_ERROR, NOT_SENT, SERVER_SIDE_ERROR, INVALID_RESPONSE, UNEXPECTED_ERROR_MSG,
            "InternalError", "ServiceUnavailable", "ResourceUnavailable",
            "FailedOperation.SendMessageTimeoutError", "FailedOperation.CreateProducerError",
            "FailedOperation.CreatePulsarClientError", "FailedOperation.ReceiveError");

    /**
     * Codes of a failed send after which the message is certainly not stored, besides throttling (the quota is checked
     * before the call is handled) and a NetworkError whose connection was never made ({@link #neverConnected}). The
     * outcome of every other retryable send failure is unknown, so the component does not repeat it:
     * <ul>
     * <li>NetworkError otherwise: a reset or a read timeout can come after the server stored the message;</li>
     * <li>ServerSideError: a proxy or gateway may have passed the request on before failing (a 504 after a slow write);</li>
     * <li>InvalidResponse: the server handled the call and answered 200, but what it did cannot be read;</li>
     * <li>UnexpectedErrorMsg: TDMQ reports a failure without saying at which step, perhaps after the write;</li>
     * <li>InternalError, ServiceUnavailable, ResourceUnavailable: generic failures that do not say at which step;</li>
     * <li>FailedOperation.SendMessageTimeoutError: Pulsar did not confirm in time, which is not "not stored".</li>
     * </ul>
     */
    private static final Set<String> SEND_NOT_STORED = Set.of(
            // The component never made the call.
            NOT_SENT,
            // The service could not create the Pulsar producer or client the message would have been written with.
            "FailedOperation.CreateProducerError", "FailedOperation.CreatePulsarClientError");

    /** Causes are followed this deep at most, in case a chain loops. */
    private static final int CAUSE_DEPTH = 10;

    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("AuthFailure.SignatureFailure",
                    "The signature does not match: check secretKey (and that it belongs to secretId)."),
            Map.entry("AuthFailure.SecretIdNotFound",
                    "TDMQ does not know this secretId: check secretId, or create an API key in the CAM console."),
            Map.entry("AuthFailure.InvalidSecretId", "The secretId is malformed: check secretId."),
            Map.entry("AuthFailure.SignatureExpire",
                    "This machine's clock is more than 5 minutes off Tencent Cloud's: synchronise it (NTP)."),
            Map.entry("AuthFailure.TokenFailure",
                    "The sessionToken is wrong or expired: refresh the temporary credentials."),
            Map.entry("AuthFailure.UnauthorizedOperation",
                    "The CAM identity may not call this action: grant it TDMQ permissions."),
            Map.entry("UnauthorizedOperation",
                    "The CAM identity may not call this action: grant it TDMQ permissions."),
            Map.entry("UnsupportedRegion",
                    "TDMQ does not serve this region: set region to the region of your cluster, e.g. ap-guangzhou."),
            Map.entry("InvalidParameterValue.TopicNotFound",
                    "Create the topic in the TDMQ console (receiving needs a partitioned topic), or fix the topic"
                    + " path cluster-id/namespace/topic and the region."),
            Map.entry("InvalidParameter.TenantNotFound",
                    "The cluster id (the first segment of the topic) is not known in this region: check the topic"
                    + " path and the region option."),
            Map.entry("InvalidParameter.TokenNotFound",
                    "Set stringToken to the role key shown on the console's Role Management page, for a role"
                    + " allowed to produce or consume on this namespace."),
            Map.entry("FailedOperation.TopicTypeError",
                    "ReceiveMessage works on partitioned topics only: consume from a topic created as partitioned."),
            Map.entry("FailedOperation.MaxMessageSizeError",
                    "The message is over TDMQ's 1 MB limit: split it, compress it, or send a reference to data"
                    + " stored elsewhere."),
            Map.entry("FailedOperation.MessageIDError",
                    "Acknowledge with the CamelTdmqHttpMessageId, CamelTdmqHttpAckTopic and"
                    + " CamelTdmqHttpSubscription headers of the received exchange."),
            Map.entry(NETWORK_ERROR,
                    "Check the endpoint and proxy options and that the network reaches the endpoint."),
            Map.entry(SERVER_SIDE_ERROR,
                    "The server or a proxy in front of it failed; check the endpoint option if it persists."),
            Map.entry(INVALID_RESPONSE,
                    "The answer is not from the TDMQ API: check that the endpoint option points to it (a proxy or"
                    + " load balancer may be answering instead)."),
            Map.entry(UNEXPECTED_ERROR_MSG, "TDMQ reported a failure without an error code; it is usually transient."
                    + " A send that failed so is not repeated, as the message may be stored."),
            Map.entry(NOT_SENT, "The call was not made; send the message again once the route runs."),
            Map.entry(RESPONSE_SIZE_LIMIT_EXCEEDED, "The answer would be larger than the service sends: a consumer"
                    + " halves its batches by itself; lower maxNumBytes or maxMessagesPerPoll to start smaller."));

    private TdmqHttpErrorCodes() {
    }

    /**
     * Whether trying the same call again can succeed: throttling, server and network failures. Parameter, auth and
     * topic errors fail the same way every time. Unknown codes are treated as not retryable, so that a send is not
     * repeated (and the message duplicated) on a guess.
     */
    public static boolean isRetryable(String errorCode) {
        if (errorCode == null) {
            return false;
        }
        return RETRYABLE.contains(errorCode)
                || isThrottling(errorCode)
                || errorCode.startsWith("InternalError.")
                || errorCode.startsWith("ServiceUnavailable.");
    }

    /**
     * Whether a failed call can be made again without storing a message twice: it is {@link #isRetryable retryable},
     * and either it is not a send (acknowledgements are idempotent, and a receive hands back what it took after the
     * ack timeout) or the message was certainly not stored. The component retries exactly these failures by itself.
     *
     * @param action    the API action that failed
     * @param errorCode the failure's code
     * @param cause     the failure's cause; its I/O exception tells a connection never made from an answer lost
     */
    static boolean isSafeToRetry(String action, String errorCode, Throwable cause) {
        if (!isRetryable(errorCode)) {
            return false;
        }
        if (!TdmqHttpActions.SEND_MESSAGES.equals(action) && !TdmqHttpActions.SEND_BATCH_MESSAGES.equals(action)) {
            return true;
        }
        return isThrottling(errorCode)
               || SEND_NOT_STORED.contains(errorCode)
               || NETWORK_ERROR.equals(errorCode) && neverConnected(cause);
    }

    /**
     * Whether an I/O failure happened before the request could leave: the connection was refused, timed out or had no
     * route, or the host name did not resolve. A connect timeout is told from a read timeout by the JDK's message.
     */
    static boolean neverConnected(Throwable cause) {
        Throwable current = cause;
        for (int depth = 0; current != null && depth < CAUSE_DEPTH; depth++, current = current.getCause()) {
            if (current instanceof ConnectException || current instanceof NoRouteToHostException
                || current instanceof UnknownHostException) {
                return true;
            }
            if (current instanceof SocketTimeoutException && "connect timed out".equalsIgnoreCase(current.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the service refused the call for going over a request quota. */
    public static boolean isThrottling(String errorCode) {
        return errorCode != null && errorCode.startsWith("RequestLimitExceeded");
    }

    /** Whether the code means "nothing to receive right now" rather than a failure. */
    public static boolean isIdlePoll(String errorCode) {
        return RECEIVE_TIMEOUT.equals(errorCode);
    }

    /** What to do about a failure with this code, or null when there is nothing more useful to say than the code. */
    public static String hint(String errorCode) {
        if (errorCode == null) {
            return null;
        }
        if (isThrottling(errorCode)) {
            return "TDMQ allows 1000 requests/s per action: lower maxSendsInFlight, maxAcksInFlight or"
                   + " concurrentConsumers, or raise maxRetries and retryMaxDelay to ride out bursts.";
        }
        return HINTS.get(errorCode);
    }
}
