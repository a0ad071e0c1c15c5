package io.github.tdmqhttp.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator of a Spring Boot application sees with the actuator: the component's meters at /actuator/metrics
 * and in the Prometheus output, and why the consumer is DOWN in /actuator/health, with no secret anywhere.
 */
@SpringBootTest(classes = { StarterTestApplication.class, TdmqHttpStarterObservabilityTest.Beans.class },
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.tdmq-http.region=ap-guangzhou",
                        "camel.component.tdmq-http.credentials-provider=#observedKeys",
                        "camel.component.tdmq-http.string-token=rt-ObservedRoleKeyValue",
                        "camel.component.tdmq-http.read-timeout=5s",
                        "camel.health.enabled=true",
                        "camel.health.exposure-level=full",
                        "management.endpoints.web.exposure.include=health,metrics,prometheus",
                        "management.endpoint.health.show-details=always" })
class TdmqHttpStarterObservabilityTest {

    static final TdmqEmulator EMULATOR = TdmqEmulator.builder().stringTokens("rt-ObservedRoleKeyValue")
            .topic(StarterTestApplication.TOPIC).build().start();

    @DynamicPropertySource
    static void emulatorProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.tdmq-http.endpoint", EMULATOR::endpoint);
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.stop();
    }

    @TestConfiguration
    static class Beans {
        @Bean
        CredentialsProvider observedKeys() {
            return () -> new Credential(EMULATOR.secretId(), EMULATOR.secretKey());
        }
    }

    @Autowired
    ProducerTemplate template;
    @Autowired
    List<String> received;
    @LocalServerPort
    int port;

    @Test
    void theFiguresAreAtActuatorMetricsAndInThePrometheusOutput() throws Exception {
        template.sendBody("direct:send", "observed");
        await().atMost(10, TimeUnit.SECONDS).until(() -> received.contains("observed"));

        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(get("/actuator/metrics"))
                .contains("tdmq.http.messages.received", "tdmq.http.messages.acknowledged",
                        "tdmq.http.messages.sent", "tdmq.http.calls"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(
                get("/actuator/metrics/tdmq.http.messages.acknowledged?tag=route:receive"))
                .contains("\"statistic\":\"COUNT\",\"value\":1.0").contains("\"subscription\"")
                .contains(StarterTestApplication.TOPIC));
        assertThat(get("/actuator/metrics/tdmq.http.calls?tag=action:SendMessages&tag=route:send"))
                .contains("\"statistic\":\"COUNT\",\"value\":1.0");

        String prometheus = get("/actuator/prometheus");
        assertThat(prometheus).contains("tdmq_http_messages_received_total{")
                .contains("tdmq_http_messages_sent_total{")
                .containsPattern("tdmq_http_calls_seconds\\{action=\"ReceiveMessage\",outcome=\"success\","
                                 + ".*quantile=\"0.99\"}")
                .contains("route=\"receive\"").contains("subscription=\"boot\"")
                .doesNotContain("rt-ObservedRoleKeyValue").doesNotContain(EMULATOR.secretKey());
    }

    @Test
    void theHealthDetailsSayWhyTheConsumerIsDownAndWhenItLastPolled() throws Exception {
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(get("/actuator/health"))
                .contains("tdmq.last.successful.poll"));
        EMULATOR.faults().add(FaultRule.errorCode("ResourceUnavailable", "The cluster is being upgraded")
                .forAction("ReceiveMessage"));
        try {
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(get("/actuator/health"))
                    .contains("\"status\":\"DOWN\"").contains("\"tdmq.error.code\":\"ResourceUnavailable\"")
                    .contains("The cluster is being upgraded").contains("tdmq.failing.since")
                    .contains("tdmq.consecutive.failures"));
            assertThat(get("/actuator/health")).doesNotContain(EMULATOR.secretKey())
                    .doesNotContain("rt-ObservedRoleKeyValue");
        } finally {
            EMULATOR.faults().clear();
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(get("/actuator/health"))
                .contains("\"status\":\"UP\"").doesNotContain("tdmq.error.code"));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
