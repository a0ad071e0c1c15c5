package io.github.tdmqhttp.camel.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

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
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.camel.util.ObjectHelper.isEmpty;

/**
 * The doctor's calls to the SDK: one call each, no retry and no rate limiter, so that what a line says is what the
 * service answered to that call. The component's gateway retries, waits for quota and hides idle polls, which is right
 * for a route and wrong for a diagnosis; the doctor also makes requests the gateway never makes (probes without a
 * topic, which the service refuses after the signature and CAM checks, so nothing is stored).
 */
final class DoctorCalls {

    private static final Logger LOG = LoggerFactory.getLogger(DoctorCalls.class);

    static final String SEND_MESSAGES = "SendMessages";
    static final String SEND_BATCH_MESSAGES = "SendBatchMessages";
    static final String RECEIVE_MESSAGE = "ReceiveMessage";
    static final String ACKNOWLEDGE_MESSAGE = "AcknowledgeMessage";

    /** What kind of failure a call without an error code from the service had. */
    enum Failure {
        NONE,
        /** The service (or the emulator) answered with an error code. */
        REFUSED,
        /** No connection: refused, no route, unknown host, connect timeout. */
        UNREACHABLE,
        /** The TLS handshake failed: the server's certificate is not trusted, or TLS is not spoken there. */
        TLS,
        /** The connection was made but no answer came in time, or it broke. */
        NO_ANSWER,
        /** An answer that is not the TDMQ API's: an HTTP status other than 200, an empty or unreadable body. */
        NOT_THE_API
    }

    /**
     * One call's outcome.
     *
     * @param action    the API action
     * @param failure   what kind of failure, NONE for a success
     * @param code      the error code the service answered (or the component's code for the other failures)
     * @param message   the service's message, or the I/O failure's
     * @param requestId the RequestId of the answer, when there was one
     * @param nanos     how long the call took
     * @param messageId the id of a sent or received message
     * @param payload   the payload of a received message
     * @param ackTopic  the AckTopic of a received message
     * @param subName   the SubName of a received message
     */
    record Answer(String action, Failure failure, String code, String message, String requestId, long nanos,
                  String messageId, String payload, String ackTopic, String subName) {

        boolean succeeded() {
            return failure == Failure.NONE;
        }

        boolean refusedWith(String errorCode) {
            return failure == Failure.REFUSED && errorCode.equals(code);
        }

        long millis() {
            return nanos / 1_000_000;
        }

        /** The error code and the request id, as the lines quote them. */
        String quoted() {
            return code + (requestId != null ? ", RequestId " + requestId : "");
        }
    }

    private final TdmqClient client;
    private final TdmqHttpConfiguration configuration;

    DoctorCalls(TdmqClient client, TdmqHttpConfiguration configuration) {
        this.client = client;
        this.configuration = configuration;
    }

    /**
     * A call of {@code action} with no parameters: the service checks the signature and the CAM policy before the
     * parameters, so the answer says whether these keys may call the action, and nothing is sent or received.
     */
    Answer probe(String action) {
        return call(action, () -> switch (action) {
            case SEND_MESSAGES -> {
                SendMessagesResponse response = client.SendMessages(new SendMessagesRequest());
                yield new Fields(response.getRequestId(), response.getErrorMsg(), response.getMessageId(), null,
                        null, null);
            }
            case SEND_BATCH_MESSAGES -> {
                SendBatchMessagesResponse response = client.SendBatchMessages(new SendBatchMessagesRequest());
                yield new Fields(response.getRequestId(), response.getErrorMsg(), response.getMessageId(), null,
                        null, null);
            }
            case RECEIVE_MESSAGE -> {
                ReceiveMessageResponse response = client.ReceiveMessage(new ReceiveMessageRequest());
                yield new Fields(response.getRequestId(), response.getErrorMsg(), response.getMessageID(),
                        response.getMessagePayload(), response.getAckTopic(), response.getSubName());
            }
            case ACKNOWLEDGE_MESSAGE -> {
                AcknowledgeMessageResponse response = client.AcknowledgeMessage(new AcknowledgeMessageRequest());
                yield new Fields(response.getRequestId(), response.getErrorMsg(), null, null, null, null);
            }
            default -> throw new IllegalArgumentException("Not a TDMQ HTTP message action: " + action);
        });
    }

    /** Sends one message with the configured role key, producer name and batching, as the producer would. */
    Answer send(String action, String topic, String payload) {
        return call(action, () -> {
            if (SEND_BATCH_MESSAGES.equals(action)) {
                SendBatchMessagesRequest request = new SendBatchMessagesRequest();
                request.setTopic(topic);
                request.setPayload(payload);
                request.setStringToken(unlessBlank(configuration.getStringToken()));
                request.setProducerName(unlessBlank(configuration.getProducerName()));
                request.setSendTimeout(configuration.getSendTimeout());
                request.setBatchingMaxMessages(configuration.getBatchingMaxMessages());
                request.setBatchingMaxPublishDelay(configuration.getBatchingMaxPublishDelay());
                request.setBatchingMaxBytes(configuration.getBatchingMaxBytes());
                SendBatchMessagesResponse response = client.SendBatchMessages(request);
                return new Fields(response.getRequestId(), response.getErrorMsg(), response.getMessageId(), null,
                        null, null);
            }
            SendMessagesRequest request = new SendMessagesRequest();
            request.setTopic(topic);
            request.setPayload(payload);
            request.setStringToken(unlessBlank(configuration.getStringToken()));
            request.setProducerName(unlessBlank(configuration.getProducerName()));
            request.setSendTimeout(configuration.getSendTimeout());
            SendMessagesResponse response = client.SendMessages(request);
            return new Fields(response.getRequestId(), response.getErrorMsg(), response.getMessageId(), null, null,
                    null);
        });
    }

    /** One single-message receive on the subscription, at the configured initial position, as the consumer does. */
    Answer receive(String topic, String subscription) {
        return call(RECEIVE_MESSAGE, () -> {
            ReceiveMessageRequest request = new ReceiveMessageRequest();
            request.setTopic(topic);
            request.setSubscriptionName(subscription);
            request.setSubInitialPosition(configuration.getSubInitialPosition().name());
            ReceiveMessageResponse response = client.ReceiveMessage(request);
            return new Fields(response.getRequestId(), response.getErrorMsg(), response.getMessageID(),
                    response.getMessagePayload(), response.getAckTopic(), response.getSubName());
        });
    }

    /** Acknowledges one message the doctor sent, with what its receive returned. */
    Answer acknowledge(String messageId, String ackTopic, String subscription) {
        return call(ACKNOWLEDGE_MESSAGE, () -> {
            AcknowledgeMessageRequest request = new AcknowledgeMessageRequest();
            request.setMessageId(messageId);
            request.setAckTopic(ackTopic);
            request.setSubName(subscription);
            AcknowledgeMessageResponse response = client.AcknowledgeMessage(request);
            return new Fields(response.getRequestId(), response.getErrorMsg(), null, null, null, null);
        });
    }

    /** The fields of an answer the doctor reads. */
    private record Fields(String requestId, String errorMsg, String messageId, String payload, String ackTopic,
                          String subName) {
    }

    @FunctionalInterface
    private interface SdkCall {
        Fields invoke() throws TencentCloudSDKException;
    }

    private Answer call(String action, SdkCall call) {
        long start = System.nanoTime();
        Answer answer;
        try {
            Fields fields = call.invoke();
            long nanos = System.nanoTime() - start;
            if (!isEmpty(fields.errorMsg()) && !"success".equalsIgnoreCase(fields.errorMsg())) {
                answer = new Answer(action, Failure.REFUSED, TdmqHttpErrorCodes.UNEXPECTED_ERROR_MSG,
                        fields.errorMsg(), fields.requestId(), nanos, null, null, null, null);
            } else {
                answer = new Answer(action, Failure.NONE, null, null, fields.requestId(), nanos, fields.messageId(),
                        fields.payload(), fields.ackTopic(), fields.subName());
            }
        } catch (TencentCloudSDKException e) {
            answer = failed(action, e, System.nanoTime() - start);
        } catch (RuntimeException e) {
            // The SDK throws a bare NullPointerException for an empty body or "{}".
            answer = new Answer(action, Failure.NOT_THE_API, TdmqHttpErrorCodes.INVALID_RESPONSE,
                    "the answer is not an API 3.0 response (" + e.getClass().getSimpleName() + ")", null,
                    System.nanoTime() - start, null, null, null, null);
        }
        LOG.debug("{}: {} {} in {} ms, RequestId {}", action, answer.failure(), answer.code(), answer.millis(),
                answer.requestId());
        return answer;
    }

    private static Answer failed(String action, TencentCloudSDKException e, long nanos) {
        String code = e.getErrorCode();
        if (TdmqHttpErrorCodes.SERVER_SIDE_ERROR.equals(code)) {
            return new Answer(action, Failure.NOT_THE_API, code, e.getMessage(), null, nanos, null, null, null, null);
        }
        if (!isEmpty(code)) {
            return new Answer(action, Failure.REFUSED, code, e.getMessage(), unlessBlank(e.getRequestId()), nanos,
                    null, null, null, null);
        }
        Throwable cause = e.getCause();
        Failure failure = Failure.NO_ANSWER;
        String message = e.getMessage();
        for (Throwable current = cause; current != null; current = current.getCause()) {
            if (current instanceof SSLException) {
                failure = Failure.TLS;
                message = current.getMessage();
                break;
            }
            if (current instanceof ConnectException || current instanceof NoRouteToHostException
                || current instanceof UnknownHostException
                || current instanceof SocketTimeoutException && "connect timed out".equalsIgnoreCase(
                        current.getMessage())) {
                failure = Failure.UNREACHABLE;
                message = current.getClass().getSimpleName() + ": " + current.getMessage();
                break;
            }
            if (current instanceof IOException) {
                message = current.getClass().getSimpleName() + ": " + current.getMessage();
            }
            if (current.getCause() == current) {
                break;
            }
        }
        if (failure == Failure.NO_ANSWER && cause != null && !(cause instanceof IOException)) {
            // Gson could not read the body: something other than the API answered.
            failure = Failure.NOT_THE_API;
        }
        return new Answer(action, failure, failure == Failure.NOT_THE_API ? TdmqHttpErrorCodes.INVALID_RESPONSE
                : TdmqHttpErrorCodes.NETWORK_ERROR, message, null, nanos, null, null, null, null);
    }

    private static String unlessBlank(String text) {
        return isEmpty(text) ? null : text;
    }
}
