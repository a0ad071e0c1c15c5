package io.github.tdmqhttp.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tdmqhttp.camel.client.MessageCodecs;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * messageFormat=CLOUDEVENTS against the emulator: headers, content type and an idempotency key cross the topic in a
 * CloudEvent any client can read and write; Camel's headers and secrets do not; a raw message still arrives as it is.
 */
class TdmqHttpCloudEventsTest extends EmulatorRouteTestSupport {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(emulatorBuilder());

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final List<String> raw = new CopyOnWriteArrayList<>();

    @Override
    protected TdmqEmulatorExtension emulator() {
        return emulator;
    }

    @Override
    protected String namespace() {
        return "pulsar-cloudevents/ns";
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    /** An envelope consumer on subscription "envelope", and a raw one on "raw" that sees the payloads as sent. */
    private void consumers(String envelopeOptions) throws Exception {
        route(new RouteBuilder() {
            @Override
            public void configure() {
                from(TdmqHttpCloudEventsTest.this.from("subscription=envelope&messageFormat=CLOUDEVENTS"
                                                       + envelopeOptions))
                        .process(exchange -> received.add(exchange.getMessage().copy()));
                from(TdmqHttpCloudEventsTest.this.from("subscription=raw"))
                        .process(exchange -> raw.add(exchange.getMessage().getBody(String.class)));
            }
        });
    }

    private String producer(String options) {
        return emulator.camelUri(topic) + "&messageFormat=CLOUDEVENTS" + options;
    }

    @Test
    void headersContentTypeAndKeyCrossTheTopicAndCamelHeadersAndSecretsDoNot() throws Exception {
        consumers("");
        template.send(producer(""), exchange -> {
            Message message = exchange.getMessage();
            message.setBody("{\"order\":42,\"lines\":[1,2]}");
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setHeader("orderId", "A-42");
            message.setHeader("attempt", 3);
            message.setHeader("urgent", true);
            message.setHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            message.setHeader("CamelFileName", "../../etc/passwd");
            message.setHeader("secretKey", "do-not-send");
            message.setHeader("apiToken", "do-not-send");
            message.setHeader(TdmqHttpConstants.EVENT_TYPE, "com.example.order.created");
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1 && raw.size() == 1);
        Message message = received.get(0);
        assertThat(message.getBody(String.class)).isEqualTo("{\"order\":42,\"lines\":[1,2]}");
        assertThat(message.getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        // Camel's headers are case-insensitive: the lower-case attribute answers to the name the sender used.
        assertThat(message.getHeader("orderId")).isEqualTo("A-42");
        assertThat(message.getHeader("attempt")).isEqualTo(3);
        assertThat(message.getHeader("urgent")).isEqualTo(true);
        assertThat(message.getHeader("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(message.getHeader(TdmqHttpConstants.EVENT_TYPE)).isEqualTo("com.example.order.created");
        assertThat(message.getHeader(TdmqHttpConstants.EVENT_SOURCE)).isEqualTo("camel:" + context.getName());
        assertThat(message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY, String.class)).isNotBlank();
        assertThat(message.getHeaders()).doesNotContainKeys("CamelFileName", "camelfilename", "secretKey",
                "apiToken");

        // What any other client reads: a CloudEvent 1.0 in JSON structured mode with the JSON data as JSON.
        JsonNode event = JSON.readTree(raw.get(0));
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo(message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY));
        assertThat(event.get("type").asText()).isEqualTo("com.example.order.created");
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.get("data").get("order").asInt()).isEqualTo(42);
        assertThat(event.get("orderid").asText()).isEqualTo("A-42");
        assertThat(raw.get(0)).doesNotContain("do-not-send", "passwd");
    }

    @Test
    void aMessageFromAClientThatIsNotCamelArrivesWithItsHeadersAndCamelHeadersItSetsAreDropped() throws Exception {
        consumers("");
        // The JSON the README shows for a client of another language.
        String readme = Files.readString(Path.of("..", "README.md"));
        int marker = readme.indexOf("<!-- recipe:cloudevent -->");
        assertThat(marker).as("the README's CloudEvent").isNotNegative();
        int start = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
        emulator.publish(topic, readme.substring(start, readme.indexOf("```", start)));

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1);
        Message message = received.get(0);
        assertThat(message.getBody()).isEqualTo("hello");
        assertThat(message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY)).isEqualTo("order-42-v1");
        assertThat(message.getHeader(TdmqHttpConstants.EVENT_SOURCE)).isEqualTo("/shop/orders");
        assertThat(message.getHeader("tenant")).isEqualTo("acme");
        assertThat(message.getHeader("CamelFileName")).isNull();
        assertThat(message.getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/plain");
        assertThat(message.getHeader(TdmqHttpConstants.EVENT_TYPE)).isEqualTo("com.example.order.created");
    }

    @Test
    void aPayloadThatIsNotACloudEventIsDeliveredAsItIs() throws Exception {
        consumers("");
        emulator.publish(topic, "plain text");
        emulator.publish(topic, "{\"a\":1}");
        emulator.publish(topic, "{\"specversion\":\"1.0\",\"broken\"");

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 3);
        assertThat(received).extracting(message -> message.getBody(String.class))
                .containsExactly("plain text", "{\"a\":1}", "{\"specversion\":\"1.0\",\"broken\"");
        assertThat(received).allSatisfy(message -> assertThat(message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY))
                .isNull());
    }

    @Test
    void aSendRepeatedAfterALostAnswerCarriesTheSameKeyAndEachElementOfAListItsOwn() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // A lost answer is not retried by the component (the send may have been stored); the route redelivers.
                from("direct:send").errorHandler(defaultErrorHandler().maximumRedeliveries(3).redeliveryDelay(10))
                        .to(producer(""));
            }
        });
        consumers("");
        // The first send is stored, its answer lost: the route sends it again, and TDMQ stores it twice.
        emulator.faults().add(FaultRule.connectionReset().afterProcessing().forAction("SendMessages").times(1));
        template.sendBody("direct:send", "sent twice");
        template.sendBody("direct:send", List.of("first", "second"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 4);
        Map<String, List<String>> keysByBody = new TreeMap<>();
        received.forEach(message -> keysByBody.computeIfAbsent(message.getBody(String.class),
                any -> new CopyOnWriteArrayList<>()).add(message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY,
                        String.class)));
        List<String> twice = keysByBody.get("sent twice");
        assertThat(twice).as("TDMQ stored the message twice").hasSize(2);
        assertThat(twice.get(0)).isNotBlank().isEqualTo(twice.get(1));
        String first = keysByBody.get("first").get(0);
        String second = keysByBody.get("second").get(0);
        assertThat(first).endsWith("-0");
        assertThat(second).isEqualTo(first.substring(0, first.length() - 2) + "-1");
    }

    @Test
    void aKeyTheRouteSetsIsTheKeySent() throws Exception {
        consumers("");
        template.sendBodyAndHeader(producer(""), "keyed", TdmqHttpConstants.IDEMPOTENCY_KEY, "order-7");

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1);
        assertThat(received.get(0).getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY)).isEqualTo("order-7");
    }

    @Test
    void binaryDataTravelsAsDataBase64WithPayloadEncodingBase64() throws Exception {
        consumers("&payloadEncoding=BASE64");
        byte[] bytes = {0, 1, (byte) 0xff, (byte) 0xfe, 42};
        template.sendBody(producer("&payloadEncoding=BASE64"), bytes);

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1 && raw.size() == 1);
        assertThat(received.get(0).getBody()).isEqualTo(bytes);
        assertThat(received.get(0).getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/octet-stream");
        assertThat(JSON.readTree(raw.get(0)).get("data_base64").asText()).isEqualTo("AAH//io=");
    }

    @Test
    void aBodyThatIsNotTheJsonItsContentTypeSaysIsRefusedBeforeAnyCall() throws Exception {
        context.start();
        Exchange exchange = template.send(producer(""), e -> {
            e.getMessage().setBody("not json");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });

        TdmqHttpException failure = exchange.getException(TdmqHttpException.class);
        assertThat(failure).isNotNull();
        assertThat(failure.getErrorCode()).isEqualTo(TdmqHttpErrorCodes.INVALID_PAYLOAD);
        assertThat(failure.getMessage()).contains("Content-Type header says application/json",
                "the body is not JSON");
        assertThat(emulator.broker().topicStats(topic).sent()).isZero();
    }

    @Test
    void aHeaderWhoseNameCannotBeAnAttributeIsLeftOutWithOneWarning() throws Exception {
        consumers("");
        try (LogCapture logs = LogCapture.info()) {
            for (int i = 0; i < 2; i++) {
                template.sendBodyAndHeader(producer(""), "body " + i, "order-id", "A-" + i);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 2);
            assertThat(logs.lines()).filteredOn(line -> line.contains("order-id")).singleElement().asString()
                    .contains("does not cross", "letters and digits");
        }
        assertThat(received).allSatisfy(message -> assertThat(message.getHeader("order-id")).isNull());
    }

    @Test
    void withoutTheCloudEventsLibraryTheEndpointSaysWhichDependencyToAdd() {
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        configuration.setTopic(topic);
        configuration.setMessageFormat(MessageFormat.CLOUDEVENTS);
        ClassLoader withoutCloudEvents = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.cloudevents.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };

        assertThatThrownBy(() -> MessageCodecs.of(configuration, withoutCloudEvents))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("messageFormat=CLOUDEVENTS")
                .hasMessageContaining("io.cloudevents:cloudevents-json-jackson");
    }

    @Test
    void eachSendOfAnExchangeIsAMessageOfItsOwnWithAKeyOfItsOwn() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:twice").to(producer("")).to(producer("")).loop(2).to(producer(""));
            }
        });
        consumers("");
        template.sendBody("direct:twice", "four sends");

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 4);
        assertThat(received).extracting(message -> message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY))
                .doesNotHaveDuplicates();
    }

    @Test
    void jsonDataArrivesAsItsSenderWroteIt() throws Exception {
        consumers("");
        String json = "{\"amount\": 1.10, \"p\": 0.1000000000000000055511151231257827, \"e\": 1e2}";
        template.sendBodyAndHeader(producer(""), json, Exchange.CONTENT_TYPE, "application/json");

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 1);
        assertThat(received.get(0).getBody()).isEqualTo(json);
    }

    @Test
    void jsonDataWithAByteOrderMarkIsRefused() throws Exception {
        context.start();
        Exchange exchange = template.send(producer(""), e -> {
            e.getMessage().setBody("\uFEFF{\"a\":1}");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });

        assertThat(exchange.getException(TdmqHttpException.class)).isNotNull()
                .hasMessageContaining("the body is not JSON");
    }
}
