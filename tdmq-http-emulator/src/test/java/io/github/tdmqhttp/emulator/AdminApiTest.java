package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API under /__admin/tdmq/, over plain HTTP. */
class AdminApiTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .receiveWait(Duration.ofMillis(200)));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TdmqClient client = Sdk.client(emulator.get());

    /** An admin answer: status and parsed body. */
    private record Answer(int status, JsonNode body) {
    }

    private static Answer call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/__admin/tdmq/" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    @Test
    void statsListTopicsSubscriptionsRequestsAndSettings() throws Exception {
        String topic = Topics.unique("admin-stats");
        client.SendMessages(Sdk.send(topic, "x"));
        client.ReceiveMessage(Sdk.receiveEarliest(topic, "watcher"));

        Answer stats = call("GET", "stats", null);

        assertThat(stats.status()).isEqualTo(200);
        JsonNode topicStats = null;
        for (JsonNode candidate : stats.body().get("topics")) {
            if (candidate.get("topic").asText().equals(topic)) {
                topicStats = candidate;
            }
        }
        assertThat(topicStats).isNotNull();
        assertThat(topicStats.get("sent").asLong()).isEqualTo(1);
        assertThat(topicStats.get("subscriptions").get(0).get("subscription").asText()).isEqualTo("watcher");
        assertThat(topicStats.get("subscriptions").get(0).get("inFlight").asLong()).isEqualTo(1);
        assertThat(stats.body().get("requests").get("SendMessages").get("requests").asLong()).isPositive();
        assertThat(stats.body().get("settings").get("receiveWaitMs").asLong()).isEqualTo(200);
        assertThat(stats.body().get("refusingConnections").asBoolean()).isFalse();
    }

    @Test
    void createsATopicWithPartitions() throws Exception {
        String topic = Topics.unique("admin-created");

        Answer created = call("POST", "topics", "{\"topic\":\"" + topic + "\",\"partitions\":4}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(emulator.broker().topicStats(topic).partitions()).isEqualTo(4);
    }

    @Test
    void createsANonPartitionedTopic() throws Exception {
        String topic = Topics.unique("admin-plain");

        call("POST", "topics", "{\"topic\":\"" + topic + "\",\"partitions\":0}");

        assertThat(Sdk.errorCode(() -> client.ReceiveMessage(Sdk.receiveEarliest(topic, "s"))))
                .isEqualTo("FailedOperation.TopicTypeError");
    }

    @Test
    void refusesAMalformedTopicWithA400() throws Exception {
        Answer refused = call("POST", "topics", "{\"topic\":\"default/orders\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).contains("tenant/namespace/topic");
    }

    @Test
    void refusesUnknownFieldsWithA400() throws Exception {
        Answer refused = call("POST", "faults", "{\"kind\":\"EMPTY_BODY\",\"probability\":0.5}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).contains("probability");
        assertThat(emulator.faults().rules()).isEmpty();
    }

    @Test
    void addsListsAndClearsFaults() throws Exception {
        Answer added = call("POST", "faults", "{\"kind\":\"ERROR_CODE\",\"code\":\"InternalError\","
                + "\"message\":\"from admin\",\"action\":\"SendMessages\",\"rate\":1.0,\"times\":2,"
                + "\"afterProcessing\":false}");

        assertThat(added.status()).isEqualTo(201);
        assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send(Topics.unique("admin-fault"), "x"))))
                .isEqualTo("InternalError");
        JsonNode listed = call("GET", "faults", null).body();
        assertThat(listed.get("rules").get(0).get("code").asText()).isEqualTo("InternalError");
        assertThat(listed.get("rules").get(0).get("times").asInt()).isEqualTo(2);
        assertThat(listed.get("rules").get(0).get("injected").asInt()).isEqualTo(1);

        assertThat(call("DELETE", "faults", null).status()).isEqualTo(200);

        assertThat(emulator.faults().rules()).isEmpty();
        assertThat(client.SendMessages(Sdk.send(Topics.unique("admin-fault"), "x")).getErrorMsg()).isEqualTo("success");
    }

    @Test
    void acceptsEveryFaultKind() throws Exception {
        for (String kind : new String[] {"ERROR_CODE", "HTTP_STATUS", "CONNECTION_RESET", "EMPTY_BODY",
                "TRUNCATED_JSON", "ERROR_MSG"}) {
            assertThat(call("POST", "faults", "{\"kind\":\"" + kind + "\",\"action\":\"AcknowledgeMessage\"}")
                    .status()).as(kind).isEqualTo(201);
        }

        assertThat(emulator.faults().rules()).extracting(rule -> rule.kind().name()).containsExactly("ERROR_CODE",
                "HTTP_STATUS", "CONNECTION_RESET", "EMPTY_BODY", "TRUNCATED_JSON", "ERROR_MSG");
    }

    @Test
    void setsLatencyThroughTheFaultsEndpoint() throws Exception {
        call("POST", "faults", "{\"kind\":\"LATENCY\",\"fixedMs\":200,\"jitterMs\":5}");
        long start = System.nanoTime();

        client.SendMessages(Sdk.send(Topics.unique("admin-latency"), "x"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(call("GET", "faults", null).body().get("latency").get("fixedMs").asLong()).isEqualTo(200);
    }

    @Test
    void changesSettings() throws Exception {
        Answer changed = call("POST", "settings", "{\"ackTimeoutMs\":1500,\"rateLimit\":0,\"receiveWaitMs\":250,"
                + "\"maxResponseBytes\":4096}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(emulator.settings().maxResponseBytes()).isEqualTo(4096);
        assertThat(changed.body().get("maxResponseBytes").asInt()).isEqualTo(4096);
        call("POST", "settings", "{\"maxResponseBytes\":0}");
        assertThat(emulator.settings().ackTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(emulator.settings().receiveWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(changed.body().get("ackTimeoutMs").asLong()).isEqualTo(1500);
        call("POST", "settings", "{\"receiveWaitMs\":200}");
    }

    @Test
    void deletingTopicsResetsTheBroker() throws Exception {
        TdmqEmulator own = TdmqEmulator.startDefault();
        try {
            String doomed = Topics.unique("doomed");
            own.broker().createTopic(doomed, 1);
            own.broker().publish(doomed, "x");
            HttpRequest delete = HttpRequest.newBuilder(URI.create(own.endpoint() + "/__admin/tdmq/topics"))
                    .DELETE().build();

            assertThat(HTTP.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            assertThat(own.broker().stats()).isEmpty();
        } finally {
            own.stop();
        }
    }

    @Test
    void startsAnOutageAfterAnswering() throws Exception {
        TdmqEmulator own = TdmqEmulator.startDefault();
        try {
            HttpRequest outage = HttpRequest.newBuilder(URI.create(own.endpoint() + "/__admin/tdmq/outage"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"seconds\":1}")).build();

            assertThat(HTTP.send(outage, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(5)).until(own::isRefusingConnections);
            await().atMost(Duration.ofSeconds(15)).until(() -> !own.isRefusingConnections());
            String back = Topics.unique("back");
            own.broker().createTopic(back, 1);
            assertThat(Sdk.client(own).SendMessages(Sdk.send(back, "x")).getErrorMsg())
                    .isEqualTo("success");
        } finally {
            own.stop();
        }
    }

    @Test
    void adminCallsAreNeitherSignedNorRateLimitedNorCounted() throws Exception {
        TdmqEmulator own = TdmqEmulator.builder().rateLimit(1).build().start();
        try {
            for (int i = 0; i < 10; i++) {
                HttpRequest stats = HttpRequest.newBuilder(URI.create(own.endpoint() + "/__admin/tdmq/stats")).build();
                assertThat(HTTP.send(stats, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }

            assertThat(own.requestStats().values()).allMatch(stats -> stats.requests() == 0);
        } finally {
            own.stop();
        }
    }
}
