package io.github.tdmqhttp.camel.springboot;

import java.util.concurrent.TimeUnit;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * YAML routes in a Spring Boot application, as the README shows: the camel-yaml-dsl dependency and
 * camel.main.routes-include-pattern are all it takes.
 */
@SpringBootTest(classes = StarterYamlRoutesTest.YamlApplication.class,
                properties = {
                        "camel.main.routes-include-pattern=classpath:tdmq-routes/*.camel.yaml",
                        "camel.component.tdmq-http.region=ap-guangzhou",
                        "camel.component.tdmq-http.credentials-provider=#emulatorKeys" })
class StarterYamlRoutesTest {

    static final String TOPIC = "pulsar-boot/ns/yaml-orders";
    static final TdmqEmulator EMULATOR = TdmqEmulator.builder().topic(TOPIC).build().start();

    @SpringBootApplication
    static class YamlApplication {
        @Bean
        CredentialsProvider emulatorKeys() {
            return () -> new Credential(EMULATOR.secretId(), EMULATOR.secretKey());
        }
    }

    @DynamicPropertySource
    static void emulatorEndpoint(DynamicPropertyRegistry registry) {
        registry.add("camel.component.tdmq-http.endpoint", EMULATOR::endpoint);
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.stop();
    }

    @Autowired
    CamelContext camelContext;
    @Autowired
    ProducerTemplate template;

    @Test
    void yamlRoutesSendAndReceive() {
        assertThat(camelContext.getRoute("yaml-send")).isNotNull();
        assertThat(camelContext.getRoute("yaml-receive")).isNotNull();

        template.sendBody("direct:yaml-send", "order from YAML");

        await().atMost(15, TimeUnit.SECONDS).until(
                () -> EMULATOR.broker().subscriptionStats(TOPIC, "yaml").acked() == 1);
    }
}
