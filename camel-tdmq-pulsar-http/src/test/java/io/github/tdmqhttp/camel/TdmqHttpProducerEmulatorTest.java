package io.github.tdmqhttp.camel;

import java.util.ArrayList;
import java.util.List;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The producer against the emulator, which checks every signature: a route sends and gets the message id, and the
 * service's own refusals (wrong key, unknown topic, missing role key) arrive as clear errors, not retried.
 */
class TdmqHttpProducerEmulatorTest extends CamelTestSupport {

    private static final String TOPIC = "pulsar-x/ns/t";

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .autoCreateTopics(false)
            .topic(TOPIC, 1)
            .topic("pulsar-x/ns/guarded", 1)
            .stringTokens("role-key-1"));

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint=" + emulator.endpoint()
                                     + "&secretId=RAW(" + emulator.get().secretId() + ")&secretKey=RAW("
                                     + emulator.get().secretKey() + ")&stringToken=RAW(role-key-1)");
            }
        };
    }

    private long sendCalls() {
        return emulator.get().requestStats().get("SendMessages").requests();
    }

    @Test
    void aRouteSendsABodyAndGetsTheMessageIdHeader() {
        Exchange exchange = template.request("direct:in", e -> e.getMessage().setBody("hello from Camel"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_ID, String.class))
                .matches("\\d+:\\d+:\\d+:\\d+");
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.REQUEST_ID, String.class)).isNotBlank();
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isPositive();
    }

    @Test
    void aTopicCopiedFromTheConsoleWithItsPrefixIsSentAsTheFullPath() {
        long sentBefore = emulator.broker().topicStats(TOPIC).sent();

        Exchange exchange = template.request("tdmq-http:persistent://" + TOPIC + "?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(" + emulator.get().secretId()
                                             + ")&secretKey=RAW(" + emulator.get().secretKey()
                                             + ")&stringToken=RAW(role-key-1)", e -> e.getMessage().setBody("copied"));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.TOPIC)).isEqualTo(TOPIC);
        assertThat(emulator.broker().topicStats(TOPIC).sent() - sentBefore).isEqualTo(1);
    }

    @Test
    void aCollectionBodyOfAHundredSendsAHundredMessages() {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add("element-" + i);
        }
        long sentBefore = emulator.broker().topicStats(TOPIC).sent();

        Exchange exchange = template.request("direct:in", e -> e.getMessage().setBody(bodies));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class)).hasSize(100)
                .doesNotHaveDuplicates();
        assertThat(emulator.broker().topicStats(TOPIC).sent() - sentBefore).isEqualTo(100);
    }

    @Test
    void aWrongSecretKeyIsRefusedOnceWithTheAdviceToCheckIt() {
        long before = sendCalls();
        Exchange exchange = template.request("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(" + emulator.get().secretId()
                                             + ")&secretKey=RAW(not-the-key)&stringToken=RAW(role-key-1)",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(failure.getRequestId()).isNotBlank();
        assertThat(failure.getMessage()).contains("check secretKey").doesNotContain("not-the-key");
        assertThat(sendCalls() - before).isOne();
    }

    @Test
    void anUnknownSecretIdIsRefusedWithTheAdviceToCheckIt() {
        Exchange exchange = template.request("tdmq-http:" + TOPIC + "?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(AKIDnobody)&secretKey=RAW(x)",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("AuthFailure.SecretIdNotFound");
        assertThat(failure.getMessage()).contains("check secretId");
    }

    @Test
    void aTopicThatDoesNotExistIsRefusedWithTheAdviceToCreateIt() {
        long before = sendCalls();
        Exchange exchange = template.request("direct:in", e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(TdmqHttpConstants.OVERRIDE_TOPIC, "pulsar-x/ns/missing");
        });

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameterValue.TopicNotFound");
        assertThat(failure.getTopic()).isEqualTo("pulsar-x/ns/missing");
        assertThat(failure.getMessage()).contains("Create the topic in the TDMQ console");
        assertThat(sendCalls() - before).isOne();
    }

    @Test
    void aMissingRoleKeyIsRefusedWithTheAdviceToSetStringToken() {
        Exchange exchange = template.request("tdmq-http:pulsar-x/ns/guarded?region=ap-guangzhou&endpoint="
                                             + emulator.endpoint() + "&secretId=RAW(" + emulator.get().secretId()
                                             + ")&secretKey=RAW(" + emulator.get().secretKey() + ")",
                e -> e.getMessage().setBody("x"));

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure.getErrorCode()).isEqualTo("InvalidParameter.TokenNotFound");
        assertThat(failure.getMessage()).contains("Set stringToken");
    }

    @Test
    void aPayloadOfExactlyOneMegabyteIsAccepted() {
        Exchange exchange = template.request("direct:in", e -> e.getMessage().setBody("m".repeat(1024 * 1024)));

        assertThat(exchange.getException()).isNull();
    }

    @Test
    void receivingFromANonPartitionedTopicFailsWithTopicTypeError() throws Exception {
        emulator.broker().createTopic("pulsar-x/ns/flat", 0);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri("pulsar-x/ns/flat") + "&subscription=s&initialDelay=0").routeId("flat")
                        .to("mock:never");
            }
        });
        Health.enableConsumerChecks(context);

        org.awaitility.Awaitility.await().atMost(10, java.util.concurrent.TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(Health.consumer(context, "flat")).hasValueSatisfying(result -> {
                    assertThat(result.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
                    assertThat(result.getError()).hasValueSatisfying(error -> assertThat(error)
                            .hasMessageContaining("FailedOperation.TopicTypeError")
                            .hasMessageContaining("partitioned"));
                }));
    }
}
