package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TC3-HMAC-SHA256 checks, seen from the SDK. */
class SignatureTest {

    private TdmqEmulator emulator;

    @AfterEach
    void stopEmulator() {
        if (emulator != null) {
            emulator.stop();
        }
    }

    private static final String TOPIC = "pulsar-test/default/signed";

    private TdmqEmulator start(TdmqEmulatorBuilder builder) {
        emulator = builder.topic(TOPIC).build().start();
        return emulator;
    }

    private static String sendWith(TdmqEmulator emulator, Credential credential) throws TencentCloudSDKException {
        return Sdk.client(emulator.port(), credential).SendMessages(Sdk.send(TOPIC, "hello")).getMessageId();
    }

    @Test
    void acceptsARequestSignedWithTheConfiguredKey() throws Exception {
        start(TdmqEmulator.builder());

        assertThat(sendWith(emulator, new Credential(emulator.secretId(), emulator.secretKey()))).isNotBlank();
    }

    @Test
    void refusesASignatureMadeWithTheWrongKey() {
        start(TdmqEmulator.builder());

        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential(emulator.secretId(), "not-the-key"))))
                .isEqualTo("AuthFailure.SignatureFailure");
    }

    @Test
    void refusesAnUnknownSecretId() {
        start(TdmqEmulator.builder());

        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential("AKIDSOMEONEELSE", emulator.secretKey()))))
                .isEqualTo("AuthFailure.SecretIdNotFound");
    }

    @Test
    void refusesATimestampSixMinutesOld() {
        // The SDK stamps requests with the real time; an emulator six minutes ahead sees them six minutes old.
        start(TdmqEmulator.builder().clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6))));

        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential(emulator.secretId(), emulator.secretKey()))))
                .isEqualTo("AuthFailure.SignatureExpire");
    }

    @Test
    void acceptsAClockSkewWithinFiveMinutes() throws Exception {
        start(TdmqEmulator.builder().clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-4))));

        assertThat(sendWith(emulator, new Credential(emulator.secretId(), emulator.secretKey()))).isNotBlank();
    }

    @Test
    void acceptsEveryConfiguredKeyPair() throws Exception {
        start(TdmqEmulator.builder().credentials("AKIDPRIMARY", "primary-key").addCredentials("AKIDSECOND", "second-key"));

        assertThat(sendWith(emulator, new Credential("AKIDPRIMARY", "primary-key"))).isNotBlank();
        assertThat(sendWith(emulator, new Credential("AKIDSECOND", "second-key"))).isNotBlank();
        assertThat(emulator.secretId()).isEqualTo("AKIDPRIMARY");
    }

    @Test
    void acceptsTemporaryCredentialsWithTheirSessionToken() throws Exception {
        start(TdmqEmulator.builder().addTemporaryCredentials("AKIDTEMP", "temp-key", "session-token",
                Instant.now().plus(Duration.ofHours(1))));

        assertThat(sendWith(emulator, new Credential("AKIDTEMP", "temp-key", "session-token"))).isNotBlank();
    }

    @Test
    void refusesTemporaryCredentialsWithoutTheirSessionToken() {
        start(TdmqEmulator.builder().addTemporaryCredentials("AKIDTEMP", "temp-key", "session-token",
                Instant.now().plus(Duration.ofHours(1))));

        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential("AKIDTEMP", "temp-key"))))
                .isEqualTo("AuthFailure.TokenFailure");
        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential("AKIDTEMP", "temp-key", "another-token"))))
                .isEqualTo("AuthFailure.TokenFailure");
    }

    @Test
    void refusesExpiredTemporaryCredentials() {
        start(TdmqEmulator.builder()
                .addTemporaryCredentials("AKIDTEMP", "temp-key", "session-token", Instant.now().minusSeconds(1)));

        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential("AKIDTEMP", "temp-key", "session-token"))))
                .isEqualTo("AuthFailure.TokenFailure");
    }

    @Test
    void acceptsAWrongKeyWhenVerificationIsOff() throws Exception {
        start(TdmqEmulator.builder().verifySignatures(false));

        assertThat(sendWith(emulator, new Credential("AKIDANYONE", "any-key"))).isNotBlank();
    }

    @Test
    void verificationCanBeTurnedOnAndOffWhileRunning() throws Exception {
        start(TdmqEmulator.builder());
        Credential wrong = new Credential(emulator.secretId(), "not-the-key");

        emulator.settings().verifySignatures(false);
        assertThat(sendWith(emulator, wrong)).isNotBlank();

        emulator.settings().verifySignatures(true);
        assertThat(Sdk.errorCode(() -> sendWith(emulator, wrong))).isEqualTo("AuthFailure.SignatureFailure");
    }

    @Test
    void acceptsOnlyTheProductsServiceOrTheOneTheSdkDerivesFromTheEndpoint() throws Exception {
        start(TdmqEmulator.builder());
        String body = "{\"Topic\":\"" + TOPIC + "\",\"Payload\":\"hi\"}";

        // The service expects "tdmq"; the SDK signs for the endpoint's first label, "127" against 127.0.0.1.
        assertThat(RawApi.to(emulator, "SendMessages").service("tdmq").post(body)).contains("\"MessageId\"");
        assertThat(RawApi.to(emulator, "SendMessages").service("127").post(body)).contains("\"MessageId\"");
        assertThat(RawApi.to(emulator, "SendMessages").service("cvm").post(body))
                .contains("\"Code\":\"AuthFailure.SignatureFailure\"", "cvm", "tdmq");
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isEqualTo(2);
    }

    @Test
    void refusesASecretIdThatIsNotAnApiKeysAsInvalid() {
        start(TdmqEmulator.builder());

        assertThat(Sdk.errorCode(() -> sendWith(emulator, new Credential("LOCALEMULATOR", emulator.secretKey()))))
                .isEqualTo("AuthFailure.InvalidSecretId");
        assertThatThrownBy(() -> TdmqEmulator.builder().credentials("LOCAL", "key"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AKID");
    }

    @Test
    void answersUnauthorizedOperationForAnActionAPolicyDenies() throws Exception {
        start(TdmqEmulator.builder().addCredentials("AKIDPRODUCERONLY", "producer-key")
                .denyActions("AKIDPRODUCERONLY", "ReceiveMessage", "AcknowledgeMessage"));
        TdmqClient producerOnly = Sdk.client(emulator.port(), new Credential("AKIDPRODUCERONLY", "producer-key"));

        assertThat(producerOnly.SendMessages(Sdk.send(TOPIC, "allowed")).getErrorMsg()).isEqualTo("success");
        assertThat(Sdk.errorCode(() -> producerOnly.ReceiveMessage(Sdk.receiveEarliest(TOPIC, "s"))))
                .isEqualTo("AuthFailure.UnauthorizedOperation");
        assertThat(Sdk.client(emulator).ReceiveMessage(Sdk.receiveEarliest(TOPIC, "s")).getMessagePayload())
                .isEqualTo("allowed");
    }

    @Test
    void refusesAnAuthorizationHeaderThatIsNotTc3() throws Exception {
        start(TdmqEmulator.builder());

        String answer = RawApi.to(emulator, "SendMessages").unsigned()
                .header("Authorization", "Basic QUtJRDpzZWNyZXQ=")
                .post("{\"Topic\":\"a/b/c\",\"Payload\":\"hi\"}");

        assertThat(answer).contains("\"Code\":\"AuthFailure.InvalidAuthorization\"");
    }

    @Test
    void refusesARequestWithoutAuthorization() throws Exception {
        start(TdmqEmulator.builder());

        String answer = RawApi.to(emulator, "SendMessages").unsigned().post("{\"Topic\":\"a/b/c\",\"Payload\":\"hi\"}");

        assertThat(answer).contains("\"Code\":\"AuthFailure.InvalidAuthorization\"");
    }

    @Test
    void refusesASignatureThatDoesNotMatchTheRequest() throws Exception {
        start(TdmqEmulator.builder());

        String answer = RawApi.to(emulator, "SendMessages").unsigned()
                .header("Authorization", "TC3-HMAC-SHA256 Credential=" + emulator.secretId() + "/"
                        + LocalDate.now(ZoneOffset.UTC) + "/127/tc3_request, SignedHeaders=content-type;host,"
                        + " Signature=" + "0".repeat(64))
                .post("{\"Topic\":\"a/b/c\",\"Payload\":\"hi\"}");

        assertThat(answer).contains("\"Code\":\"AuthFailure.SignatureFailure\"");
    }
}
