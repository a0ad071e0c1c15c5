package io.github.tdmqhttp.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import io.github.tdmqhttp.camel.PayloadEncoding;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
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
 * A real Spring Boot application against the emulator: the camel.component.tdmq-http properties bind, including a
 * bean reference; a route sends and another receives; the consumer's health reaches /actuator/health; and the
 * secrets, and the properties they refer to through placeholders, stay masked in /actuator/env and
 * /actuator/configprops even with values shown.
 */
@SpringBootTest(classes = { StarterTestApplication.class, TdmqHttpStarterTest.Beans.class },
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.tdmq-http.region=ap-guangzhou",
                        "camel.component.tdmq-http.credentials-provider=#emulatorKeys",
                        // As the README's snippet has it, through one more step: the variable it names is masked.
                        "camel.component.tdmq-http.string-token=${tdmq.role-key}",
                        "tdmq.role-key=${TDMQ_ROLE_KEY:}",
                        "TDMQ_ROLE_KEY=rt-StarterRoleKeyValue",
                        "camel.component.tdmq-http.max-messages-per-poll=8",
                        "camel.component.tdmq-http.read-timeout=5s",
                        "camel.component.tdmq-http.payload-encoding=text",
                        "camel.health.enabled=true",
                        "camel.health.exposure-level=full",
                        "management.endpoints.web.exposure.include=health,env,configprops",
                        "management.endpoint.health.show-details=always",
                        "management.endpoint.env.show-values=always",
                        "management.endpoint.configprops.show-values=always" })
class TdmqHttpStarterTest {

    static final TdmqEmulator EMULATOR = TdmqEmulator.builder().stringTokens("rt-StarterRoleKeyValue")
            .topic(StarterTestApplication.TOPIC).build().start();
    static final String SECRET_KEY_PROPERTY = "sk-StarterSecretKeyValue";

    @DynamicPropertySource
    static void emulatorProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.tdmq-http.endpoint", EMULATOR::endpoint);
        registry.add("camel.component.tdmq-http.proxy-password", () -> SECRET_KEY_PROPERTY);
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.stop();
    }

    @TestConfiguration
    static class Beans {
        @Bean
        CredentialsProvider emulatorKeys() {
            return () -> new Credential(EMULATOR.secretId(), EMULATOR.secretKey());
        }
    }

    @Autowired
    CamelContext camelContext;
    @Autowired
    ProducerTemplate template;
    @Autowired
    List<String> received;
    @Autowired
    CredentialsProvider emulatorKeys;
    @LocalServerPort
    int port;

    @Test
    void thePropertiesConfigureTheComponent() {
        TdmqHttpConfiguration configuration = camelContext.getComponent("tdmq-http", TdmqHttpComponent.class)
                .getConfiguration();

        assertThat(configuration.getRegion()).isEqualTo("ap-guangzhou");
        assertThat(configuration.getEndpoint()).isEqualTo(EMULATOR.endpoint());
        assertThat(configuration.getMaxMessagesPerPoll()).isEqualTo(8);
        assertThat(configuration.getReadTimeout()).isEqualTo(5000);
        assertThat(configuration.getPayloadEncoding()).isEqualTo(PayloadEncoding.TEXT);
        assertThat(configuration.getCredentialsProvider()).isSameAs(emulatorKeys);
        assertThat(configuration.getConnectTimeout()).as("a default").isEqualTo(10_000);
    }

    @Test
    void aRouteSendsAndAnotherReceives() {
        template.sendBody("direct:send", "hello from Spring Boot");

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.contains("hello from Spring Boot"));
        await().atMost(10, TimeUnit.SECONDS).until(
                () -> EMULATOR.broker().subscriptionStats(StarterTestApplication.TOPIC, "boot").backlog() == 0);
    }

    @Test
    void theConsumerHealthReachesTheActuator() throws Exception {
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            String health = get("/actuator/health");
            assertThat(health).contains("consumer:receive").contains("\"status\":\"UP\"");
        });
    }

    @Test
    void secretsAreMaskedInEnvAndConfigpropsEvenWithValuesShown() throws Exception {
        String env = get("/actuator/env");
        String configprops = get("/actuator/configprops");

        assertThat(env).contains("camel.component.tdmq-http.string-token").contains("******")
                .contains("TDMQ_ROLE_KEY").contains("tdmq.role-key");
        assertThat(env).as("a value no secret refers to").contains("\"value\":\"5s\"");
        for (String output : List.of(env, configprops)) {
            assertThat(output).doesNotContain("rt-StarterRoleKeyValue").doesNotContain(SECRET_KEY_PROPERTY)
                    .doesNotContain(EMULATOR.secretKey());
        }
        assertThat(configprops).contains("camel.component.tdmq-http").contains("maxMessagesPerPoll");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
