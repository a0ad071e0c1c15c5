package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonSyntaxException;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault kind as the SDK sees it, and how rules are narrowed (action, rate, times, after processing). */
class FaultInjectionTest {

    private static final Duration ACK_TIMEOUT = Duration.ofMillis(400);

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .ackTimeout(ACK_TIMEOUT)
            .receiveWait(Duration.ofMillis(300)));

    private final TdmqClient client = Sdk.client(emulator.get());

    private long faultsInjected(String action) {
        return emulator.get().requestStats().get(action).faultsInjected();
    }

    private long sent(String topic) {
        return emulator.broker().stats().stream().filter(stats -> stats.topic().equals(topic)).mapToLong(
                stats -> stats.sent()).sum();
    }

    @Test
    void errorCodeReachesTheSdkAsThatCode() {
        emulator.faults().add(FaultRule.errorCode("InternalError", "injected"));

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send(Topics.unique("e"), "x")));

        assertThat(failure.getErrorCode()).isEqualTo("InternalError");
        assertThat(failure.getMessage()).isEqualTo("injected");
        assertThat(failure.getRequestId()).isNotBlank();
    }

    @Test
    void badGatewayReachesTheSdkAsServerSideError() {
        emulator.faults().add(FaultRule.badGatewayHtml());

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send(Topics.unique("e"), "x")));

        assertThat(failure.getErrorCode()).isEqualTo("ServerSideError");
        assertThat(failure.getMessage()).contains("502");
    }

    @Test
    void anyHttpStatusCanBeAnswered() {
        emulator.faults().add(FaultRule.httpStatus(503, "text/plain", "Service Unavailable"));

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send(Topics.unique("e"), "x")));

        assertThat(failure.getErrorCode()).isEqualTo("ServerSideError");
        assertThat(failure.getMessage()).contains("503");
    }

    @Test
    void connectionResetReachesTheSdkAsAnIoErrorWithoutCode() {
        emulator.faults().add(FaultRule.connectionReset());
        long attemptsBefore = emulator.get().requestStats().get("SendMessages").requests();

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send(Topics.unique("e"), "x")));

        assertThat(failure.getErrorCode()).isNull();
        assertThat(failure.getCause()).isInstanceOf(IOException.class);
        // OkHttp tried again by itself before giving up (three attempts in all, in our runs).
        assertThat(emulator.get().requestStats().get("SendMessages").requests() - attemptsBefore).isGreaterThan(1);
    }

    @Test
    void emptyBodyMakesTheSdkThrowABareNullPointerException() {
        emulator.faults().add(FaultRule.emptyBody());

        // Gson reads an empty body as null and the SDK dereferences it: not a TencentCloudSDKException at all.
        assertThatThrownBy(() -> client.SendMessages(Sdk.send(Topics.unique("e"), "x")))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void truncatedJsonReachesTheSdkAsASyntaxErrorWithoutCode() {
        emulator.faults().add(FaultRule.truncatedJson());

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send(Topics.unique("e"), "x")));

        assertThat(failure.getErrorCode()).isNull();
        assertThat(failure.getCause()).isInstanceOf(JsonSyntaxException.class);
    }

    @Test
    void errorMsgAnswersTheSuccessShapeWithThatErrorMsg() throws Exception {
        String topic = Topics.unique("ack-error");
        emulator.broker().publish(topic, "x");
        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));
        emulator.faults().add(FaultRule.errorMsg("ack error").forAction("AcknowledgeMessage"));

        // No exception: only the ErrorMsg tells the client that the ack failed (the documented example).
        AcknowledgeMessageResponse answer = client.AcknowledgeMessage(Sdk.ack(received));

        assertThat(answer.getErrorMsg()).isEqualTo("ack error");
        assertThat(answer.getRequestId()).isNotBlank();
        assertThat(emulator.broker().subscriptionStats(topic, "s").acked()).isZero();
    }

    @Test
    void errorMsgAfterProcessingKeepsTheAnswerFields() throws Exception {
        String topic = Topics.unique("send-error-msg");
        emulator.faults().add(FaultRule.errorMsg("send error").forAction("SendMessages").afterProcessing());

        var answer = client.SendMessages(Sdk.send(topic, "x"));

        assertThat(answer.getErrorMsg()).isEqualTo("send error");
        assertThat(answer.getMessageId()).matches("\\d+:0:0:0");
        assertThat(sent(topic)).isEqualTo(1);
    }

    @Test
    void faultBeforeProcessingChangesNothing() {
        String topic = Topics.unique("untouched");
        emulator.faults().add(FaultRule.errorCode("InternalError", "injected").forAction("SendMessages"));

        Sdk.failure(() -> client.SendMessages(Sdk.send(topic, "x")));

        assertThat(sent(topic)).isZero();
    }

    @Test
    void faultAfterProcessingStoresTheMessageButLosesTheAnswer() {
        String topic = Topics.unique("lost-answer");
        emulator.faults().add(FaultRule.errorCode("InternalError", "lost").forAction("SendMessages").afterProcessing());

        assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send(topic, "x")))).isEqualTo("InternalError");
        assertThat(sent(topic)).isEqualTo(1);
    }

    @Test
    void sdkSilentlyResendsARequestWhoseConnectionWasReset() throws Exception {
        // OkHttp, under the SDK, retries a POST whose connection failed: a send whose answer was lost to a reset is
        // stored again, and the caller sees only the second answer.
        String topic = Topics.unique("resent");
        long attemptsBefore = emulator.get().requestStats().get("SendMessages").requests();
        emulator.faults().add(FaultRule.connectionReset().forAction("SendMessages").afterProcessing().times(1));

        String messageId = client.SendMessages(Sdk.send(topic, "x")).getMessageId();

        assertThat(messageId).matches("\\d+:1:0:0");
        assertThat(sent(topic)).isEqualTo(2);
        assertThat(emulator.get().requestStats().get("SendMessages").requests() - attemptsBefore).isEqualTo(2);
    }

    @Test
    void lostReceiveAnswerIsRedeliveredAfterTheAckTimeout() throws Exception {
        String topic = Topics.unique("lost-receive");
        emulator.broker().publish(topic, "x");
        emulator.faults().add(FaultRule.truncatedJson().forAction("ReceiveMessage").afterProcessing().times(1));

        Sdk.failure(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")));
        emulator.settings().receiveWait(Duration.ofSeconds(3));
        try {
            ReceiveMessageResponse again = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

            assertThat(again.getMessagePayload()).isEqualTo("x");
            assertThat(emulator.broker().subscriptionStats(topic, "s").redelivered()).isEqualTo(1);
        } finally {
            emulator.settings().receiveWait(Duration.ofMillis(300));
        }
    }

    @Test
    void faultForOneActionLeavesTheOthersAlone() throws Exception {
        String topic = Topics.unique("narrow");
        emulator.faults().add(FaultRule.errorCode("InternalError", "injected").forAction("AcknowledgeMessage"));

        client.SendMessages(Sdk.send(topic, "x"));
        ReceiveMessageResponse received = client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"));

        assertThat(Sdk.errorCode(() -> client.AcknowledgeMessage(Sdk.ack(received)))).isEqualTo("InternalError");
    }

    @Test
    void faultWithTimesStopsAfterThatMany() throws Exception {
        String topic = Topics.unique("times");
        long before = faultsInjected("SendBatchMessages");
        emulator.faults().add(FaultRule.errorCode("ServiceUnavailable", "busy").forAction("SendBatchMessages").times(3));

        for (int i = 0; i < 3; i++) {
            assertThat(Sdk.errorCode(() -> client.SendBatchMessages(Sdk.sendBatch(topic, "x"))))
                    .isEqualTo("ServiceUnavailable");
        }
        assertThat(client.SendBatchMessages(Sdk.sendBatch(topic, "x")).getErrorMsg()).isEqualTo("success");
        assertThat(faultsInjected("SendBatchMessages") - before).isEqualTo(3);
        assertThat(emulator.faults().ruleStates().get(0).injected()).isEqualTo(3);
    }

    @Test
    void faultWithRateHitsAboutThatShareOfRequests() throws Exception {
        String topic = Topics.unique("rate");
        emulator.faults().add(FaultRule.errorCode("InternalError", "sometimes").rate(0.5));
        int failures = 0;

        for (int i = 0; i < 200; i++) {
            try {
                client.SendMessages(Sdk.send(topic, "x"));
            } catch (TencentCloudSDKException injected) {
                failures++;
            }
        }

        // 200 draws at 0.5: 100 expected, the bounds are more than six standard deviations away.
        assertThat(failures).isBetween(55, 145);
        assertThat(sent(topic)).isEqualTo(200 - failures);
    }

    @Test
    void firstMatchingRuleWins() {
        emulator.faults()
                .add(FaultRule.errorCode("FailedOperation.SendMessageTimeoutError", "first").forAction("SendMessages"))
                .add(FaultRule.errorCode("InternalError", "second"));

        assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send(Topics.unique("order"), "x"))))
                .isEqualTo("FailedOperation.SendMessageTimeoutError");
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest(Topics.unique("order"), "s"))))
                .isEqualTo("InternalError");
    }

    @Test
    void latencyDelaysEveryAnswer() throws Exception {
        emulator.faults().latency(Duration.ofMillis(250), Duration.ZERO);
        long start = System.nanoTime();

        client.SendMessages(Sdk.send(Topics.unique("slow"), "x"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void latencyAlsoDelaysErrors() {
        emulator.faults().latency(Duration.ofMillis(250), Duration.ofMillis(50));
        long start = System.nanoTime();

        Sdk.failure(() -> client.SendMessages(Sdk.send("not/a-topic", "x")));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void clearRemovesRulesAndLatency() throws Exception {
        emulator.faults().add(FaultRule.connectionReset()).latency(Duration.ofSeconds(5), Duration.ZERO);

        emulator.faults().clear();

        assertThat(emulator.faults().rules()).isEmpty();
        assertThat(emulator.faults().latency().isNone()).isTrue();
        assertThat(client.SendMessages(Sdk.send(Topics.unique("cleared"), "x")).getErrorMsg()).isEqualTo("success");
    }

    @Test
    void rulesAreListedInTheOrderTheyWereAdded() {
        FaultRule reset = FaultRule.connectionReset().forAction("ReceiveMessage").rate(0.1);
        FaultRule empty = FaultRule.emptyBody().times(2);

        emulator.faults().add(reset).add(empty);

        assertThat(emulator.faults().rules()).containsExactly(reset, empty);
        assertThat(reset).hasToString("CONNECTION_RESET for ReceiveMessage, rate 0.1");
    }
}
