package io.github.tdmqhttp.camel;

import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a send can fail, each answered with a {@link TdmqHttpException} that names the cause and the fix: input
 * refused before any call, failures after which the message was certainly not stored (throttling, a refused
 * connection) retried a bounded number of times, the others failed at once (a send whose outcome is unknown is not
 * repeated on a guess), and answers the server should not have sent recognised as such.
 */
class TdmqHttpProducerErrorTest extends CamelTestSupport {

    private static final String TOPIC = "pulsar-err/ns/orders";
    private static final int RETRIES = 3;

    private final WireMockApi.ConcurrencyProbe probe = new WireMockApi.ConcurrencyProbe();

    @RegisterExtension
    final WireMockExtension api = WireMockApi.extension(probe);

    private String uri(String options) {
        String retries = options.contains("maxRetries=") ? "" : "maxRetries=" + RETRIES;
        return WireMockApi.uri(api, TOPIC, retries + (options.isEmpty() || retries.isEmpty() ? "" : "&") + options);
    }

    private TdmqHttpException sendFails(String options, Object body) {
        Exchange exchange = template.request(uri(options), e -> e.getMessage().setBody(body));
        assertThat(exchange.getException()).isInstanceOf(TdmqHttpException.class);
        return exchange.getException(TdmqHttpException.class);
    }

    private int calls() {
        return api.findAll(postRequestedFor(urlEqualTo("/"))).size();
    }

    @Test
    void aNullBodyIsRefusedBeforeAnyCall() {
        TdmqHttpException failure = sendFails("", null);

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_PAYLOAD);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("SendMessages on topic " + TOPIC, "body is null", "Set a body");
        assertThat(calls()).isZero();
    }

    @Test
    void aPayloadOverOneMegabyteIsRefusedBeforeAnyCallAndOneOfExactlyOneMegabyteIsSent() {
        api.stubFor(post("/").willReturn(WireMockApi.sent("1:1:0:0")));

        TdmqHttpException failure = sendFails("", "x".repeat(1024 * 1024 + 1));
        assertThat(failure.getMessage()).contains("1048577 bytes", "1 MB", "Split the message");
        assertThat(calls()).isZero();

        Exchange exact = template.request(uri(""), e -> e.getMessage().setBody("é".repeat(512 * 1024)));
        assertThat(exact.getException()).isNull();
        assertThat(calls()).isOne();
    }

    @Test
    void theSizeLimitCountsTheBase64Encoding() {
        TdmqHttpException failure = sendFails("payloadEncoding=BASE64", new byte[800 * 1024]);

        assertThat(failure.getMessage()).contains("after base64 encoding", "1 MB");
        assertThat(calls()).isZero();
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedInTextModeWithTheAdviceToUseBase64() {
        TdmqHttpException failure = sendFails("", new byte[] { 'o', 'k', (byte) 0xc3, 0x28 });

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_PAYLOAD);
        assertThat(failure.getMessage()).contains("not valid UTF-8", "payloadEncoding=BASE64");
        assertThat(calls()).isZero();
    }

    @Test
    void textWithALoneSurrogateIsRefusedRatherThanSentAsQuestionMarks() {
        TdmqHttpException failure = sendFails("", "broken \uD83D text");

        assertThat(failure.getMessage()).contains("lone UTF-16 surrogate at index 7");
        assertThat(calls()).isZero();
    }

    @Test
    void textWithALoneSurrogateIsRefusedInBase64ModeTooRatherThanEncodedAsAQuestionMark() {
        TdmqHttpException failure = sendFails("payloadEncoding=BASE64", "broken \uDE00 text");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_PAYLOAD);
        assertThat(failure.getMessage()).contains("lone UTF-16 surrogate at index 7", "byte[]");
        assertThat(calls()).isZero();
    }

    @Test
    void aMalformedOverrideTopicIsRefusedBeforeAnyCall() {
        Exchange exchange = template.request(uri(""), e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(TdmqHttpConstants.OVERRIDE_TOPIC, "non-persistent://pulsar-x/ns/t");
        });

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_TOPIC);
        assertThat(failure.getMessage()).contains("CamelTdmqHttpOverrideTopic", "persistent topics only");
        assertThat(calls()).isZero();
    }

    @Test
    void anInternalErrorFailsASendAtOnceWithCodeAndRequestIdBecauseTheMessageMayBeStored() {
        api.stubFor(post("/").willReturn(WireMockApi.error("InternalError", "backend hiccup")));

        TdmqHttpException failure = sendFails("", "maybe stored");

        assertThat(failure.getErrorCode()).isEqualTo("InternalError");
        assertThat(failure.getRequestId()).isEqualTo("req-InternalError");
        assertThat(failure.getAction()).isEqualTo("SendMessages");
        assertThat(failure.getTopic()).isEqualTo(TOPIC);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.isSafeToRetry()).isFalse();
        assertThat(failure.getMessage()).contains("backend hiccup", "request id req-InternalError");
        assertThat(calls()).isOne();
    }

    @Test
    void aServiceThatCouldNotCreateItsProducerStoredNothingSoTheSendIsRetried() {
        api.stubFor(post("/").willReturn(WireMockApi.error("FailedOperation.CreateProducerError", "no producer")));

        TdmqHttpException failure = sendFails("", "not stored");

        assertThat(failure.isSafeToRetry()).isTrue();
        assertThat(calls()).isEqualTo(1 + RETRIES);
    }

    @Test
    void throttlingIsRetriedUntilItPasses() {
        api.stubFor(post("/").inScenario("quota").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMockApi.error("RequestLimitExceeded", "too fast")).willSetStateTo("second"));
        api.stubFor(post("/").inScenario("quota").whenScenarioStateIs("second")
                .willReturn(WireMockApi.error("RequestLimitExceeded", "too fast")).willSetStateTo("open"));
        api.stubFor(post("/").inScenario("quota").whenScenarioStateIs("open").willReturn(WireMockApi.sent("9:9:0:0")));

        Exchange exchange = template.request(uri(""), e -> e.getMessage().setBody("eventually"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID)).isEqualTo("9:9:0");
        assertThat(calls()).isEqualTo(3);
    }

    @Test
    void aRefusedConnectionIsRetriedBecauseTheRequestNeverLeft() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        Exchange exchange = template.request("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint=http://127.0.0.1:"
                                             + closedPort + "&secretId=RAW(" + WireMockApi.SECRET_ID + ")&secretKey=RAW("
                                             + WireMockApi.SECRET_KEY + ")&maxRetries=" + RETRIES
                                             + "&retryInitialDelay=100&retryMaxDelay=100&retryMultiplier=1",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.NETWORK_ERROR);
        assertThat(failure.isSafeToRetry()).isTrue();
        // Each backoff is 50 to 100 ms: RETRIES of them show the retries were made.
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(RETRIES * 50_000_000L);
    }

    @Test
    void aSendWhoseAnswerTimesOutIsTriedOnceBecauseTheMessageMayBeStored() {
        api.stubFor(post("/").willReturn(WireMockApi.sent("1:1:0:0").withFixedDelay(1_500)));

        TdmqHttpException failure = sendFails("readTimeout=1000", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.NETWORK_ERROR);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.isSafeToRetry()).isFalse();
        assertThat(calls()).isOne();
    }

    @Test
    void maxRetriesZeroTriesOnce() {
        api.stubFor(post("/").willReturn(WireMockApi.error("RequestLimitExceeded", "too fast")));

        sendFails("maxRetries=0", "once");

        assertThat(calls()).isOne();
    }

    @Test
    void authenticationFailuresAreNotRetriedAndSayWhichOptionToCheck() {
        api.stubFor(post("/").willReturn(WireMockApi.error("AuthFailure.SignatureFailure", "signature mismatch")));

        TdmqHttpException failure = sendFails("", "x");

        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("AuthFailure.SignatureFailure", "check secretKey");
        assertThat(calls()).isOne();
    }

    @Test
    void anUnknownTopicIsNotRetriedAndSaysHowToCreateIt() {
        api.stubFor(post("/").willReturn(WireMockApi.error("InvalidParameterValue.TopicNotFound", "no such topic")));

        TdmqHttpException failure = sendFails("", "x");

        assertThat(failure.getMessage()).contains("Create the topic in the TDMQ console");
        assertThat(calls()).isOne();
    }

    @Test
    void aMissingRoleKeyIsNotRetriedAndPointsToRoleManagement() {
        api.stubFor(post("/").willReturn(WireMockApi.error("InvalidParameter.TokenNotFound", "token not found")));

        TdmqHttpException failure = sendFails("", "x");

        assertThat(failure.getMessage()).contains("stringToken", "Role Management");
        assertThat(calls()).isOne();
    }

    @Test
    void aSendAnsweredWithAnErrorMsgAndNoCodeFailsAndIsTriedExactlyOnce() {
        api.stubFor(post("/").willReturn(WireMockApi.success("\"MessageId\":\"1:2:0:0\",\"ErrorMsg\":\"boom\"")));

        TdmqHttpException failure = sendFails("", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.UNEXPECTED_ERROR_MSG);
        assertThat(failure.getMessage()).contains("ErrorMsg \"boom\"", "is not repeated");
        assertThat(failure.isSafeToRetry()).isFalse();
        assertThat(calls()).isOne();
    }

    @Test
    void anEmptyErrorMsgIsASuccess() {
        api.stubFor(post("/").willReturn(WireMockApi.success("\"MessageId\":\"1:2:0:0\",\"ErrorMsg\":\"\"")));

        Exchange exchange = template.request(uri(""), e -> e.getMessage().setBody("x"));

        assertThat(exchange.getException()).isNull();
    }

    @Test
    void aSuccessWithoutMessageIdIsAnInvalidResponse() {
        api.stubFor(post("/").willReturn(WireMockApi.success("\"ErrorMsg\":\"success\"")));

        TdmqHttpException failure = sendFails("maxRetries=0", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_RESPONSE);
        assertThat(failure.getMessage()).contains("no MessageId");
    }

    @Test
    void anEmptyBodyIsAnInvalidResponseNotABareNullPointerException() {
        api.stubFor(post("/").willReturn(WireMockApi.body(200, "application/json", "")));

        TdmqHttpException failure = sendFails("maxRetries=0", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_RESPONSE);
        assertThat(failure.getMessage()).contains("empty or not an API 3.0 response", "check that the endpoint");
    }

    @Test
    void anEmptyJsonObjectIsAnInvalidResponse() {
        api.stubFor(post("/").willReturn(WireMockApi.body(200, "application/json", "{}")));

        assertThat(sendFails("maxRetries=0", "x").getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_RESPONSE);
    }

    @Test
    void anHtmlPageWithStatus200IsAnInvalidResponse() {
        api.stubFor(post("/").willReturn(WireMockApi.body(200, "text/html", "<html><body>Welcome</body></html>")));

        TdmqHttpException failure = sendFails("maxRetries=0", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_RESPONSE);
    }

    @Test
    void truncatedJsonIsAnInvalidResponse() {
        api.stubFor(post("/").willReturn(WireMockApi.body(200, "application/json", "{\"Response\":{\"MessageId\":\"1:")));

        assertThat(sendFails("maxRetries=0", "x").getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_RESPONSE);
    }

    @Test
    void aBadGatewayPageIsAServerSideErrorThatASendDoesNotRepeat() {
        api.stubFor(post("/").willReturn(WireMockApi.body(502, "text/html", "<html>502 Bad Gateway</html>")));

        TdmqHttpException failure = sendFails("", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.SERVER_SIDE_ERROR);
        assertThat(failure.getMessage()).contains("502");
        assertThat(failure.isRetryable()).isTrue();
        assertThat(calls()).isOne();
    }

    @Test
    void aConnectionResetAfterTheRequestIsANetworkErrorThatASendDoesNotRepeat() {
        api.stubFor(post("/").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        TdmqHttpException failure = sendFails("", "x");

        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.NETWORK_ERROR);
        assertThat(failure.getRequestId()).isNull();
        assertThat(failure.getMessage()).contains("Check the endpoint and proxy options");
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.isSafeToRetry()).isFalse();
        assertThat(calls()).isOne();
    }

    @Test
    void anAcknowledgementFailingWithAConnectionResetIsRetried() {
        api.stubFor(post("/").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Exchange exchange = template.request(uri("operation=acknowledge&subscription=sub-a"), e -> {
            e.getMessage().setHeader(TdmqHttpConstants.MESSAGE_ID, "931087:81:0");
            e.getMessage().setHeader(TdmqHttpConstants.ACK_TOPIC, "tenant/ns/topic");
        });

        assertThat(exchange.getException(TdmqHttpException.class).isSafeToRetry()).isTrue();
        assertThat(calls()).isEqualTo(1 + RETRIES);
    }

    @Test
    void aPartialFailureOfACollectionBodySaysWhichElementsFailedAndWhichWereSent() {
        api.stubFor(post("/").withRequestBody(containing("bad"))
                .willReturn(WireMockApi.error("InvalidParameterValue", "refused")));
        api.stubFor(post("/").withRequestBody(containing("good"))
                .willReturn(WireMockApi.success("\"MessageId\":\"7:{{jsonPath request.body '$.Payload'}}:0:0\","
                                                + "\"ErrorMsg\":\"success\"").withTransformers("response-template")));
        List<String> bodies = List.of("good-0", "bad-1", "good-2", "bad-3", "good-4");

        Exchange exchange = template.request(uri(""), e -> e.getMessage().setBody(bodies));

        TdmqHttpPartialSendException failure = exchange.getException(TdmqHttpPartialSendException.class);
        assertThat(failure).isNotNull();
        assertThat(failure.getFailedIndexes()).containsExactly(1, 3);
        // Canonical ids, as in the headers: a batch index of 0 is dropped.
        assertThat(failure.getSentMessageIds()).containsEntry(0, "7:good-0:0").containsEntry(2, "7:good-2:0")
                .containsEntry(4, "7:good-4:0").hasSize(3);
        assertThat(failure.getMessage()).contains("2 of 5 elements", "#1 (InvalidParameterValue)",
                "#3 (InvalidParameterValue)", "the other 3 were sent");
        assertThat(calls()).isEqualTo(5);
    }

    @Test
    void aRedeliveredCollectionSendsOnlyTheElementsNotYetSent() throws Exception {
        api.stubFor(post("/").inScenario("once").whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing("second"))
                .willReturn(WireMockApi.error("InternalError", "first try fails")).willSetStateTo("recovered"));
        api.stubFor(post("/").willReturn(WireMockApi.success("\"MessageId\":\"id-{{jsonPath request.body '$.Payload'}}\","
                                                             + "\"ErrorMsg\":\"success\"").withTransformers("response-template"))
                .atPriority(10));
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                onException(TdmqHttpException.class).maximumRedeliveries(1).redeliveryDelay(10);
                from("direct:redeliver").to(uri("maxRetries=0"));
            }
        });

        Exchange exchange = template.request("direct:redeliver",
                e -> e.getMessage().setBody(List.of("first", "second", "third")));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class))
                .containsExactly("id-first", "id-second", "id-third");
        assertThat(calls()).as("three sends, and one more for the element that failed").isEqualTo(4);
    }

    @Test
    void anIterableThatIsNotACollectionIsOneMessage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder)
            throws Exception {
        api.stubFor(post("/").willReturn(WireMockApi.sent("1:1:0:0")));
        // A Path is an Iterable of its name elements; as a body it is the file it names.
        java.nio.file.Path file = java.nio.file.Files.writeString(folder.resolve("order.txt"), "file content");

        Exchange exchange = template.request(uri(""), e -> e.getMessage().setBody(file));

        assertThat(exchange.getException()).isNull();
        api.verify(1, postRequestedFor(urlEqualTo("/"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"Topic\":\"" + TOPIC + "\",\"Payload\":\"file content\"}")));
    }

    @Test
    void aCollectionWithAnElementThatCannotBeSentSendsNothing() {
        List<Object> bodies = new ArrayList<>(List.of("fine", "also fine"));
        bodies.add(null);

        Exchange exchange = template.request(uri(""), e -> e.getMessage().setBody(bodies));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getMessage()).contains("1 of 3 elements", "#2", "body is null", "so none was");
        assertThat(calls()).isZero();
    }

    @Test
    void aCollectionBodyKeepsSeveralCallsInFlightButNoMoreThanMaxSendsInFlight() {
        api.stubFor(post("/").willReturn(WireMockApi.sent("1:1:0:0").withFixedDelay(150)));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            bodies.add("m" + i);
        }

        Exchange exchange = template.request(uri("maxSendsInFlight=6"), e -> e.getMessage().setBody(bodies));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class)).hasSize(24);
        assertThat(probe.highest()).isBetween(2, 6);
    }

    @Test
    void acknowledgeOperationNeedsTheHeadersOfTheReceivedExchange() {
        Exchange exchange = template.request(uri("operation=acknowledge"),
                e -> e.getMessage().setHeader(TdmqHttpConstants.MESSAGE_ID, "1:2:0"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.MISSING_HEADER);
        assertThat(failure.getMessage()).contains("CamelTdmqHttpAckTopic");
        assertThat(calls()).isZero();
    }

    @Test
    void acknowledgeOperationSendsTheIdsFromTheHeaders() {
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("AcknowledgeMessage"))
                .willReturn(WireMockApi.success("\"ErrorMsg\":\"success\"")));

        Exchange exchange = template.request(uri("operation=acknowledge&subscription=sub-a"), e -> {
            e.getMessage().setHeader(TdmqHttpConstants.MESSAGE_ID, "931087:81:0");
            e.getMessage().setHeader(TdmqHttpConstants.ACK_TOPIC, "tenant/ns/topic");
        });

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.REQUEST_ID)).isEqualTo("req-ok");
        api.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-TC-Action", equalTo("AcknowledgeMessage"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"MessageId\":\"931087:81:0\",\"AckTopic\":\"tenant/ns/topic\",\"SubName\":\"sub-a\"}")));
    }

    @Test
    void anAcknowledgementAnsweredWithAnErrorMsgAndNoCodeIsRetriedBecauseAcknowledgementsAreIdempotent() {
        api.stubFor(post("/").inScenario("ack").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMockApi.success("\"ErrorMsg\":\"boom\"")).willSetStateTo("ok"));
        api.stubFor(post("/").inScenario("ack").whenScenarioStateIs("ok")
                .willReturn(WireMockApi.success("\"ErrorMsg\":\"success\"")));

        Exchange exchange = template.request(uri("operation=acknowledge&subscription=sub-a"), e -> {
            e.getMessage().setHeader(TdmqHttpConstants.MESSAGE_ID, "931087:81:0");
            e.getMessage().setHeader(TdmqHttpConstants.ACK_TOPIC, "tenant/ns/topic");
        });

        assertThat(exchange.getException()).isNull();
        assertThat(calls()).isEqualTo(2);
    }
}
