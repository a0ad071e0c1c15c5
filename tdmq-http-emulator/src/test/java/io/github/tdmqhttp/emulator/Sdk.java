package io.github.tdmqhttp.emulator;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendBatchMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;

/** The Tencent SDK as the tests' client: building clients against an emulator, and the requests they send. */
final class Sdk {

    /** Seconds; generous, so that only a hung emulator makes a test fail by timeout. */
    static final int READ_TIMEOUT_SECONDS = 20;

    private Sdk() {
    }

    static TdmqClient client(TdmqEmulator emulator) {
        return client(emulator.port(), new Credential(emulator.secretId(), emulator.secretKey()));
    }

    static TdmqClient client(int port, Credential credential) {
        return new TdmqClient(credential, TdmqEmulator.REGION, profile(port));
    }

    static ClientProfile profile(int port) {
        HttpProfile http = new HttpProfile();
        http.setEndpoint("127.0.0.1:" + port);
        http.setProtocol("http://");
        http.setConnTimeout(5);
        http.setReadTimeout(READ_TIMEOUT_SECONDS);
        http.setWriteTimeout(READ_TIMEOUT_SECONDS);
        return new ClientProfile(ClientProfile.SIGN_TC3_256, http);
    }

    /**
     * A profile that names {@code endpoint} (a Tencent host name, e.g. a regional endpoint) and reaches the emulator
     * on {@code port} as its HTTP proxy: the request carries that Host and is signed for it.
     */
    static ClientProfile proxiedProfile(int port, String endpoint) {
        ClientProfile profile = profile(port);
        profile.getHttpProfile().setEndpoint(endpoint);
        profile.getHttpProfile().setProxyHost("127.0.0.1");
        profile.getHttpProfile().setProxyPort(port);
        return profile;
    }

    static SendMessagesRequest send(String topic, String payload) {
        SendMessagesRequest request = new SendMessagesRequest();
        request.setTopic(topic);
        request.setPayload(payload);
        return request;
    }

    static SendBatchMessagesRequest sendBatch(String topic, String payload) {
        SendBatchMessagesRequest request = new SendBatchMessagesRequest();
        request.setTopic(topic);
        request.setPayload(payload);
        return request;
    }

    static ReceiveMessageRequest receive(String topic, String subscription, String initialPosition) {
        ReceiveMessageRequest request = new ReceiveMessageRequest();
        request.setTopic(topic);
        request.setSubscriptionName(subscription);
        request.setSubInitialPosition(initialPosition);
        return request;
    }

    static ReceiveMessageRequest receiveEarliest(String topic, String subscription) {
        return receive(topic, subscription, "Earliest");
    }

    static AcknowledgeMessageRequest ack(ReceiveMessageResponse received) {
        return ack(received.getMessageID(), received.getAckTopic(), received.getSubName());
    }

    static AcknowledgeMessageRequest ack(String messageId, String topic, String subscription) {
        AcknowledgeMessageRequest request = new AcknowledgeMessageRequest();
        request.setMessageId(messageId);
        request.setAckTopic(topic);
        request.setSubName(subscription);
        return request;
    }

    /** A call that is expected to fail. */
    interface Call {
        Object run() throws TencentCloudSDKException;
    }

    /** Runs {@code call} and returns the SDK exception it throws; fails when it succeeds. */
    static TencentCloudSDKException failure(Call call) {
        Object result;
        try {
            result = call.run();
        } catch (TencentCloudSDKException expected) {
            return expected;
        }
        throw new AssertionError("Expected the call to fail, but it answered " + result);
    }

    /** The error code the SDK reports for {@code call}. */
    static String errorCode(Call call) {
        return failure(call).getErrorCode();
    }
}
