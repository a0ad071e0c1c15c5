package io.github.tdmqhttp.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.model.InitialPosition;
import io.github.tdmqhttp.emulator.model.ReceiveLimits;
import io.github.tdmqhttp.emulator.model.ReceivedMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 4: bad input, from the client and from the server, each answered with an error that names the cause and
 * the fix, with nothing lost and nothing acknowledged that was not processed. Each case adds a row to the summary.
 */
class BadInputTest {

    private static final String OK = "pulsar-bad/ns/ok";
    private static final String ROLE_KEY = "role-key-1";

    private static TdmqEmulator emulator;
    private static CamelContext camel;

    @BeforeAll
    static void start() {
        emulator = TdmqEmulator.builder().autoCreateTopics(false).ackTimeout(Rig.ACK_TIMEOUT)
                .receiveWait(Duration.ofMillis(300))
                .topic(OK, 1).topic("pulsar-bad/ns/flat", 0).topic("pulsar-bad/ns/hashes", 1)
                .topic("pulsar-bad/ns/acks", 1)
                .stringTokens(ROLE_KEY)
                .addTemporaryCredentials("AKIDexpired", "expired-key", "expired-token", Instant.now().minusSeconds(60))
                .build().start();
        camel = Rig.camel(emulator, "bad-input");
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        emulator.stop();
    }

    private static String uri(String topic, String options) {
        return "tdmq-http:" + topic + "?stringToken=RAW(" + ROLE_KEY + ")&maxRetries=0"
               + (options.isEmpty() ? "" : "&" + options);
    }

    private static Exception send(String uri, Object body) {
        Exchange exchange = camel.createProducerTemplate().request(uri, e -> e.getMessage().setBody(body));
        assertThat(exchange.getException()).as("the send fails").isNotNull();
        return exchange.getException();
    }

    /** The failure that stops a route from starting. */
    private static Throwable routeFailsToStart(String from, String to) {
        try (CamelContext context = Rig.camel(emulator, "refused")) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(from).to(to);
                }
            });
            context.start();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static void answered(String input, String side, Throwable failure, long lost, long wronglyAcked,
                                 String... causeAndFix) {
        assertThat(failure).as(input + " is refused").isNotNull();
        Throwable cause = failure;
        while (!(cause instanceof TdmqHttpException || cause instanceof IllegalArgumentException)
               && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        String code = cause instanceof TdmqHttpException tdmq ? tdmq.getErrorCode() : cause.getClass().getSimpleName();
        boolean named = List.of(causeAndFix).stream().allMatch(message::contains);
        Figures.add(new Figures.BadInput(input, side, code, excerpt(message, causeAndFix[0]), named, lost,
                wronglyAcked));
        assertThat(message).as(input).contains(causeAndFix);
        assertThat(lost).as(input + ": lost").isZero();
        assertThat(wronglyAcked).as(input + ": acknowledged without processing").isZero();
    }

    /** The message from the cause on, on one line and cut short, for the table. */
    private static String excerpt(String message, String cause) {
        String line = message.replace('\n', ' ');
        int start = Math.max(0, line.indexOf(cause) - 20);
        return (start > 0 ? "…" : "") + line.substring(start, Math.min(line.length(), start + 170)).strip()
               + (start + 170 < line.length() ? "…" : "");
    }

    private static long stored(String topic) {
        return Rig.stored(emulator, topic);
    }

    @Test
    void clientSide() {
        long before = stored(OK);
        answered("null body", "client", send(uri(OK, ""), null), 0, 0, "body is null", "Set a body");
        answered("payload over 1 MB", "client", send(uri(OK, ""), "x".repeat(1_048_577)), 0, 0,
                "1048577 bytes", "Split the message");
        answered("invalid UTF-8 in TEXT mode", "client", send(uri(OK, ""), new byte[] { (byte) 0xc3, 0x28 }), 0, 0,
                "not valid UTF-8", "payloadEncoding=BASE64");
        assertThat(stored(OK)).as("nothing stored by refused input").isEqualTo(before);

        Throwable noRegion;
        try (CamelContext context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("tdmq-http:" + OK + "?secretId=RAW(a)&secretKey=RAW(b)");
                }
            });
            context.start();
            noRegion = null;
        } catch (Exception e) {
            noRegion = e;
        }
        answered("missing region", "client", noRegion, 0, 0, "needs a region", "region=ap-guangzhou");
        answered("missing subscription", "client", routeFailsToStart("tdmq-http:" + OK, "log:never"), 0, 0,
                "needs a subscription", "subscription=<name>");
        answered("malformed topic", "client", routeFailsToStart("direct:in", "tdmq-http:ns/orders"), 0, 0,
                "'ns/orders' is not of the form cluster-id/namespace/topic", "pulsar-xxxx/sdk_http/topic1");
        answered("unknown option", "client",
                routeFailsToStart("direct:in", "tdmq-http:" + OK + "?maxRetrys=3"), 0, 0,
                "maxRetrys", "spelt correctly");
        answered("wrong credentials", "client", send("tdmq-http:" + OK + "?secretId=RAW(" + emulator.secretId()
                                                     + ")&secretKey=RAW(wrong)&maxRetries=0", "x"), 0, 0,
                "AuthFailure.SignatureFailure", "check secretKey");
        answered("expired session token", "client", send("tdmq-http:" + OK + "?secretId=RAW(AKIDexpired)"
                                                         + "&secretKey=RAW(expired-key)&sessionToken=RAW(expired-token)"
                                                         + "&maxRetries=0", "x"), 0, 0,
                "AuthFailure.TokenFailure", "refresh the temporary credentials");
        assertThat(stored(OK)).isEqualTo(before);
    }

    @Test
    void serverSide() throws Exception {
        answered("topic that does not exist", "server", send(uri("pulsar-bad/ns/missing", ""), "x"), 0, 0,
                "InvalidParameterValue.TopicNotFound", "Create the topic in the TDMQ console");
        answered("role key missing", "server", send("tdmq-http:" + OK + "?maxRetries=0", "x"), 0, 0,
                "InvalidParameter.TokenNotFound", "Set stringToken");

        long before = stored(OK);
        emulator.faults().add(FaultRule.emptyBody().forAction("SendMessages").times(1));
        answered("empty body", "server", send(uri(OK, ""), "x"), stored(OK) - before, 0,
                "InvalidResponse", "check that the endpoint option points to it");
        emulator.faults().add(FaultRule.badGatewayHtml().forAction("SendMessages").times(1));
        answered("HTML 502 page", "server", send(uri(OK, ""), "x"), stored(OK) - before, 0,
                "ServerSideError", "502", "check the endpoint option");
        emulator.faults().add(FaultRule.truncatedJson().forAction("SendMessages").times(1));
        answered("truncated JSON", "server", send(uri(OK, ""), "x"), stored(OK) - before, 0,
                "InvalidResponse", "check that the endpoint option points to it");
        emulator.faults().clear();

        ackErrorMessage();
        topicTypeError();
    }

    private void ackErrorMessage() throws Exception {
        String topic = "pulsar-bad/ns/acks";
        emulator.broker().publish(topic, "to acknowledge");
        ReceivedMessage received = emulator.broker().receive(topic, "acks", InitialPosition.EARLIEST,
                ReceiveLimits.single(Duration.ofSeconds(1))).get(0);
        emulator.faults().add(FaultRule.errorMsg("ack error").forAction("AcknowledgeMessage").times(1));
        Exchange refused = camel.createProducerTemplate().request(uri(topic, "operation=acknowledge&subscription=acks"),
                e -> {
                    e.getMessage().setHeader(TdmqHttpConstants.MESSAGE_ID, received.messageId().toString());
                    e.getMessage().setHeader(TdmqHttpConstants.ACK_TOPIC, topic);
                });
        long wronglyAcked = Rig.subscription(emulator, topic, "acks").acked();
        answered("ErrorMsg \"ack error\"", "server", refused.getException(), 0, wronglyAcked,
                "UnexpectedErrorMsg", "ack error");
        Exchange retried = camel.createProducerTemplate().request(uri(topic, "operation=acknowledge&subscription=acks"),
                e -> {
                    e.getMessage().setHeader(TdmqHttpConstants.MESSAGE_ID, received.messageId().toString());
                    e.getMessage().setHeader(TdmqHttpConstants.ACK_TOPIC, topic);
                });
        assertThat(retried.getException()).isNull();
        assertThat(Rig.subscription(emulator, topic, "acks").acked()).isEqualTo(1);
    }

    private void topicTypeError() throws Exception {
        try (CamelContext context = Rig.camel(emulator, "flat")) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:pulsar-bad/ns/flat?subscription=s&initialDelay=0").routeId("flat").to("log:never");
                }
            });
            context.start();
            Rig.enableHealth(context);
            Throwable error = await().atMost(10, TimeUnit.SECONDS).until(() -> healthError(context, "flat"),
                    Optional::isPresent).orElseThrow();
            answered("receive from a non-partitioned topic", "server", error, 0, 0,
                    "FailedOperation.TopicTypeError", "partitioned");
        }
    }

    private static Optional<Throwable> healthError(CamelContext context, String routeId) {
        return HealthCheckHelper.invoke(context).stream()
                .filter(result -> result.getCheck().getId().equals("consumer:" + routeId))
                .filter(result -> result.getState() == HealthCheck.State.DOWN)
                .flatMap(result -> result.getError().stream()).findFirst();
    }
}
