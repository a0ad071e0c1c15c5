package io.github.tdmqhttp.camel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the producer puts on the wire: the API 3.0 headers, a TC3-HMAC-SHA256 Authorization for the configured SecretId,
 * and exactly the JSON fields of SendMessages and SendBatchMessages, in both payload encodings.
 */
class TdmqHttpProducerWireTest extends CamelTestSupport {

    private static final String TOPIC = "pulsar-wire/ns/orders";
    private static final String AUTHORIZATION = "TC3-HMAC-SHA256 Credential=" + WireMockApi.SECRET_ID
                                                + "/\\d{4}-\\d{2}-\\d{2}/127/tc3_request,"
                                                + " SignedHeaders=content-type;host, Signature=[0-9a-f]{64}";

    @RegisterExtension
    static WireMockExtension api = WireMockApi.extension(new WireMockApi.ConcurrencyProbe());

    @BeforeEach
    void answerEverySend() {
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("SendMessages")).willReturn(WireMockApi.sent("71:11:0:0")));
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("SendBatchMessages"))
                .willReturn(WireMockApi.sent("72:12:1:0")));
    }

    @Test
    void sendsTheBodyWithSendMessagesAndAnswersTheMessageIdAndRequestId() {
        Exchange exchange = template.request(WireMockApi.uri(api, TOPIC, ""), e -> e.getMessage().setBody("hello TDMQ"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID)).as("the canonical form of 71:11:0:0").isEqualTo("71:11:0");
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.REQUEST_ID)).isEqualTo("req-ok");
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.TOPIC)).isEqualTo(TOPIC);
        api.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-TC-Action", equalTo("SendMessages"))
                .withHeader("X-TC-Version", equalTo("2020-02-17"))
                .withHeader("X-TC-Region", equalTo("ap-guangzhou"))
                .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8"))
                .withRequestBody(equalToJson("{\"Topic\":\"" + TOPIC + "\",\"Payload\":\"hello TDMQ\"}")));
        LoggedRequest request = api.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
        assertThat(request.getHeader("Authorization")).matches(AUTHORIZATION);
        assertThat(request.getHeader("X-TC-Timestamp")).matches("\\d{10}");
        assertThat(request.containsHeader("X-TC-Token")).isFalse();
    }

    @Test
    void sendsEveryProducerOptionAsItsSendMessagesField() {
        template.sendBody(WireMockApi.uri(api, TOPIC, "stringToken=RAW(role-key)&producerName=role1&maxSendsInFlight=1"
                                                      + "&sendTimeout=3000"
                                                      + "&maxPendingMessages=500&sessionToken=RAW(sts-token)"),
                "with options");

        api.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-TC-Action", equalTo("SendMessages"))
                .withHeader("X-TC-Token", equalTo("sts-token"))
                .withRequestBody(equalToJson("{\"Topic\":\"" + TOPIC + "\",\"Payload\":\"with options\","
                                             + "\"StringToken\":\"role-key\",\"ProducerName\":\"role1\","
                                             + "\"SendTimeout\":3000,\"MaxPendingMessages\":500}")));
    }

    @Test
    void batchingSendsWithSendBatchMessagesAndItsThreeLimits() {
        Exchange exchange = template.request(WireMockApi.uri(api, TOPIC, "batching=true&batchingMaxMessages=100"
                                                                         + "&batchingMaxPublishDelay=5"
                                                                         + "&batchingMaxBytes=65536&producerName=p1"
                                                                         + "&maxSendsInFlight=1"),
                e -> e.getMessage().setBody("batched"));

        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID)).isEqualTo("72:12:1");
        api.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-TC-Action", equalTo("SendBatchMessages"))
                .withHeader("X-TC-Version", equalTo("2020-02-17"))
                .withRequestBody(equalToJson("{\"Topic\":\"" + TOPIC + "\",\"Payload\":\"batched\","
                                             + "\"ProducerName\":\"p1\",\"BatchingMaxMessages\":100,"
                                             + "\"BatchingMaxPublishDelay\":5,\"BatchingMaxBytes\":65536}")));
        assertThat(api.findAll(postRequestedFor(urlEqualTo("/"))).get(0).getHeader("Authorization"))
                .matches(AUTHORIZATION);
    }

    @Test
    void base64EncodingSendsAnyBytesBase64Encoded() {
        byte[] binary = { (byte) 0xff, 0x00, '#', '#', '#', (byte) 0xc3, 0x28 };
        template.sendBody(WireMockApi.uri(api, TOPIC, "payloadEncoding=BASE64"), binary);
        template.sendBody(WireMockApi.uri(api, TOPIC, "payloadEncoding=BASE64&batching=true"), "text too");

        api.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-TC-Action", equalTo("SendMessages"))
                .withRequestBody(equalToJson("{\"Topic\":\"" + TOPIC + "\",\"Payload\":\""
                                             + Base64.getEncoder().encodeToString(binary) + "\"}")));
        api.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-TC-Action", equalTo("SendBatchMessages"))
                .withRequestBody(equalToJson("{\"Topic\":\"" + TOPIC + "\",\"Payload\":\""
                                             + Base64.getEncoder().encodeToString(
                                                     "text too".getBytes(StandardCharsets.UTF_8))
                                             + "\"}")));
    }

    @Test
    void textEncodingSendsValidUtf8BytesAsText() {
        template.sendBody(WireMockApi.uri(api, TOPIC, ""), "grüße, 世界 🚀".getBytes(StandardCharsets.UTF_8));

        api.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(equalToJson("{\"Topic\":\"" + TOPIC + "\",\"Payload\":\"grüße, 世界 🚀\"}")));
    }

    @Test
    void theOverrideTopicHeaderSendsOneMessageElsewhereAndIsThenRemoved() {
        Exchange exchange = template.request(WireMockApi.uri(api, TOPIC, ""), e -> {
            e.getMessage().setBody("elsewhere");
            e.getMessage().setHeader(TdmqHttpConstants.OVERRIDE_TOPIC, "pulsar-wire/ns/other");
        });

        api.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(equalToJson("{\"Topic\":\"pulsar-wire/ns/other\",\"Payload\":\"elsewhere\"}")));
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.TOPIC)).isEqualTo("pulsar-wire/ns/other");
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey(TdmqHttpConstants.OVERRIDE_TOPIC);
    }

    @Test
    void aCollectionBodySendsEveryElementAndAnswersTheIdsInInputOrder() {
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("SendMessages"))
                .willReturn(WireMockApi.success("\"MessageId\":\"id-{{jsonPath request.body '$.Payload'}}\","
                                                + "\"ErrorMsg\":\"\"").withTransformers("response-template")));
        List<String> bodies = List.of("a", "b", "c", "d", "e", "f", "g", "h");

        Exchange exchange = template.request(WireMockApi.uri(api, TOPIC, ""), e -> e.getMessage().setBody(bodies));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class))
                .containsExactly("id-a", "id-b", "id-c", "id-d", "id-e", "id-f", "id-g", "id-h");
        api.verify(8, postRequestedFor(urlEqualTo("/")));
    }
}
