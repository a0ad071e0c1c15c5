package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.CommonClient;
import com.tencentcloudapi.common.CommonRequest;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which requests the emulator refuses before any action runs, and with which code. */
class RequestValidationTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true));

    private final TdmqClient client = Sdk.client(emulator.get());

    private CommonClient commonClient(String version) {
        return new CommonClient("tdmq", version, new Credential(emulator.get().secretId(), emulator.get().secretKey()),
                TdmqEmulator.REGION, Sdk.profile(emulator.port()));
    }

    @Test
    void refusesAnUnknownAction() {
        TencentCloudSDKException failure = Sdk.failure(() -> commonClient("2020-02-17")
                .commonRequest(new CommonRequest("{}"), "DescribeTopics"));

        assertThat(failure.getErrorCode()).isEqualTo("InvalidAction");
        assertThat(failure.getMessage()).contains("DescribeTopics");
    }

    @Test
    void refusesAnotherApiVersion() {
        String body = "{\"Topic\":\"" + Topics.unique("versioned") + "\",\"Payload\":\"hi\"}";

        assertThat(Sdk.errorCode(() -> commonClient("2019-01-01").commonRequest(new CommonRequest(body), "SendMessages")))
                .isEqualTo("NoSuchVersion");
    }

    @Test
    void acceptsTheTdmqVersionThroughTheCommonClient() throws Exception {
        String body = "{\"Topic\":\"" + Topics.unique("common") + "\",\"Payload\":\"hi\"}";

        assertThat(commonClient("2020-02-17").commonRequest(new CommonRequest(body), "SendMessages"))
                .contains("\"MessageId\"");
    }

    @Test
    void refusesARequestWithoutRegion() {
        TdmqClient withoutRegion = new TdmqClient(new Credential(emulator.get().secretId(), emulator.get().secretKey()),
                null, Sdk.profile(emulator.port()));

        assertThat(Sdk.errorCode(() -> withoutRegion.SendMessages(Sdk.send(Topics.unique("regionless"), "hi"))))
                .isEqualTo("MissingParameter");
    }

    @Test
    void refusesARegionTdmqDoesNotServe() {
        TdmqClient elsewhere = new TdmqClient(new Credential(emulator.get().secretId(), emulator.get().secretKey()),
                "ap-mars", Sdk.profile(emulator.port()));

        assertThat(Sdk.errorCode(() -> elsewhere.SendMessages(Sdk.send(Topics.unique("mars"), "hi"))))
                .isEqualTo("UnsupportedRegion");
    }

    @Test
    void acceptsEveryDocumentedRegion() throws Exception {
        for (String region : new String[] {"ap-shanghai", "ap-singapore", "eu-frankfurt", "na-siliconvalley"}) {
            TdmqClient regional = new TdmqClient(new Credential(emulator.get().secretId(), emulator.get().secretKey()),
                    region, Sdk.profile(emulator.port()));
            assertThat(regional.SendMessages(Sdk.send(Topics.unique("regional"), "hi")).getMessageId()).isNotBlank();
        }
    }

    @Test
    void namesAMissingRequiredParameter() {
        SendMessagesRequest withoutTopic = new SendMessagesRequest();
        withoutTopic.setPayload("hi");

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(withoutTopic));

        assertThat(failure.getErrorCode()).isEqualTo("MissingParameter");
        assertThat(failure.getMessage()).contains("`Topic`");
    }

    @Test
    void namesAnUnknownParameter() {
        SendMessagesRequest request = Sdk.send(Topics.unique("unknown-field"), "hi");
        request.set("Colour", "blue");

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(request));

        assertThat(failure.getErrorCode()).isEqualTo("UnknownParameter");
        assertThat(failure.getMessage()).contains("`Colour`");
    }

    /** Tencent's common error codes: InvalidParameter is "parameter error (including format and type errors)". */
    @Test
    void refusesAStringWhereTheSdkSendsALongAsAnInvalidParameter() {
        SendMessagesRequest request = Sdk.send(Topics.unique("typed"), "hi");
        request.set("SendTimeout", "soon");

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(request));

        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameter");
        assertThat(failure.getMessage()).contains("`SendTimeout`");
    }

    @Test
    void refusesANumberWhereTheSdkSendsAStringAsAnInvalidParameter() {
        ReceiveMessageRequest request = Sdk.receiveEarliest(Topics.unique("typed"), "sub");
        request.setSubscriptionName(null);
        request.set("SubscriptionName", 42);

        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(request))).isEqualTo("InvalidParameter");
    }

    @Test
    void refusesANegativeNumberAsAnInvalidParameterValue() {
        SendMessagesRequest request = Sdk.send(Topics.unique("negative"), "hi");
        request.setSendTimeout(-1L);

        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(request));

        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameterValue");
        assertThat(failure.getMessage()).contains("`SendTimeout`");
    }

    @Test
    void acceptsTheOptionalProducerFields() throws Exception {
        SendMessagesRequest request = Sdk.send(Topics.unique("producer"), "hi");
        request.setProducerName("role-name");
        request.setSendTimeout(3000L);
        request.setMaxPendingMessages(1000L);

        assertThat(client.SendMessages(request).getErrorMsg()).isEqualTo("success");
    }

    @Test
    void acceptsTheBatchingFieldsOnSendBatchMessagesOnly() throws Exception {
        SendBatchMessagesRequest batch = Sdk.sendBatch(Topics.unique("batching"), "hi");
        batch.setBatchingMaxMessages(1000L);
        batch.setBatchingMaxPublishDelay(10L);
        batch.setBatchingMaxBytes(131072L);
        SendMessagesRequest single = Sdk.send(Topics.unique("batching"), "hi");
        single.set("BatchingMaxMessages", 1000);

        assertThat(client.SendBatchMessages(batch).getErrorMsg()).isEqualTo("success");
        assertThat(Sdk.errorCode(() -> client.SendMessages(single))).isEqualTo("UnknownParameter");
    }

    @Test
    void refusesABodyThatIsNotJson() throws Exception {
        String answer = RawApi.to(emulator.get(), "SendMessages").post("{\"Topic\": \"a/b/c\", ");

        assertThat(answer).contains("\"Code\":\"InvalidParameter\"");
    }

    @Test
    void refusesABodyThatIsNotAJsonObject() throws Exception {
        String answer = RawApi.to(emulator.get(), "SendMessages").post("[\"a/b/c\"]");

        assertThat(answer).contains("\"Code\":\"InvalidParameter\"");
    }

    @Test
    void refusesABodyOverTenMegabytesWithRequestSizeLimitExceeded() throws Exception {
        String topic = Topics.unique("huge");
        String body = "{\"Topic\":\"" + topic + "\",\"Payload\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";

        String answer = RawApi.to(emulator.get(), "SendMessages").post(body);

        assertThat(answer).contains("\"Code\":\"RequestSizeLimitExceeded\"", "10 MB");
        assertThat(emulator.broker().stats()).noneMatch(stats -> stats.topic().equals(topic));
    }

    @Test
    void refusesATopicThatIsNotTheFullPath() {
        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send("default/orders", "hi")));

        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameterValue");
        assertThat(failure.getMessage()).contains("tenant/namespace/topic");
        assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send("tenant//orders", "hi"))))
                .isEqualTo("InvalidParameterValue");
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest("tenant/ns/orders/extra", "s"))))
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void refusesAnUnknownSubInitialPosition() {
        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receive(Topics.unique("position"), "s", "Middle"))))
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    void answersInTheApiShapeWithARequestId() throws Exception {
        String answer = RawApi.to(emulator.get(), "SendMessages")
                .post("{\"Topic\":\"" + Topics.unique("shape") + "\",\"Payload\":\"hi\"}");

        assertThat(answer).matches("\\{\"Response\":\\{\"MessageId\":\"\\d+:\\d+:0:0\",\"ErrorMsg\":\"success\","
                + "\"RequestId\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"}}");
    }

    @Test
    void answersErrorsInTheApiShapeWithARequestId() {
        TencentCloudSDKException failure = Sdk.failure(() -> client.SendMessages(Sdk.send("default/orders", "hi")));

        assertThat(failure.getRequestId()).matches("[0-9a-f-]{36}");
    }
}
