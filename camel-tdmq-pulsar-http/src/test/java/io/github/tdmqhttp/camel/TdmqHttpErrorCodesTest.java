package io.github.tdmqhttp.camel;


import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures the component repeats by itself: a send only when its message was certainly not stored, an
 * acknowledgement whenever a retry can help.
 */
class TdmqHttpErrorCodesTest {

    private static final String SEND = TdmqHttpActions.SEND_MESSAGES;
    private static final String ACK = TdmqHttpActions.ACKNOWLEDGE_MESSAGE;

    /** A NetworkError as the gateway makes it: the SDK's exception, with the I/O failure as its cause. */
    private static TdmqHttpException networkError(String action, IOException io) {
        return new TdmqHttpException(action, "c/ns/t", TdmqHttpErrorCodes.NETWORK_ERROR, null, "no answer",
                new TencentCloudSDKException(io.toString(), io));
    }

    private static TdmqHttpException failure(String action, String code) {
        return new TdmqHttpException(action, "c/ns/t", code, "req-1", "detail", null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded",
                             "FailedOperation.CreateProducerError", "FailedOperation.CreatePulsarClientError",
                             TdmqHttpErrorCodes.NOT_SENT })
    void aSendFailureThatCertainlyStoredNothingIsSafeToRetry(String code) {
        assertThat(failure(SEND, code).isSafeToRetry()).isTrue();
        assertThat(failure(TdmqHttpActions.SEND_BATCH_MESSAGES, code).isSafeToRetry()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "InternalError", "InternalError.BrokerFailed", "ServiceUnavailable", "ResourceUnavailable",
                             "FailedOperation.SendMessageTimeoutError", TdmqHttpErrorCodes.SERVER_SIDE_ERROR,
                             TdmqHttpErrorCodes.INVALID_RESPONSE, TdmqHttpErrorCodes.UNEXPECTED_ERROR_MSG,
                             TdmqHttpErrorCodes.NETWORK_ERROR })
    void aSendFailureWithAnUnknownOutcomeIsRetryableButNotSafeToRetry(String code) {
        TdmqHttpException send = failure(SEND, code);

        assertThat(send.isRetryable()).isTrue();
        assertThat(send.isSafeToRetry()).isFalse();
        assertThat(failure(ACK, code).isSafeToRetry()).as("an acknowledgement is idempotent").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "AuthFailure.SignatureFailure", "InvalidParameterValue.TopicNotFound",
                             "FailedOperation.MaxMessageSizeError", "SomethingNew" })
    void aFailureThatARetryCannotHelpIsNeverRetried(String code) {
        assertThat(failure(SEND, code).isSafeToRetry()).isFalse();
        assertThat(failure(ACK, code).isSafeToRetry()).isFalse();
    }

    @Test
    void aSendWhoseConnectionWasNeverMadeIsSafeToRetry() {
        assertThat(networkError(SEND, new ConnectException("Failed to connect to /127.0.0.1:9")).isSafeToRetry())
                .isTrue();
        assertThat(networkError(SEND, new SocketTimeoutException("Connect timed out")).isSafeToRetry()).isTrue();
        assertThat(networkError(SEND, new UnknownHostException("tdmq.example")).isSafeToRetry()).isTrue();
    }

    @Test
    void aSendWhoseAnswerWasLostIsNotSafeToRetry() {
        assertThat(networkError(SEND, new SocketTimeoutException("Read timed out")).isSafeToRetry()).isFalse();
        assertThat(networkError(SEND, new SocketTimeoutException("timeout")).isSafeToRetry()).isFalse();
        assertThat(networkError(SEND, new SocketException("Connection reset")).isSafeToRetry()).isFalse();
        assertThat(networkError(SEND, new IOException("unexpected end of stream")).isSafeToRetry()).isFalse();
        assertThat(networkError(ACK, new SocketTimeoutException("Read timed out")).isSafeToRetry()).isTrue();
    }

    @Test
    void aRefusalBeforeAnyCallIsNeitherRetryableNorSafeToRetry() {
        TdmqHttpException refused = TdmqHttpException.refused(SEND, "c/ns/t", TdmqHttpErrorCodes.INVALID_PAYLOAD, "x");

        assertThat(refused.isRetryable()).isFalse();
        assertThat(refused.isSafeToRetry()).isFalse();
    }
}
