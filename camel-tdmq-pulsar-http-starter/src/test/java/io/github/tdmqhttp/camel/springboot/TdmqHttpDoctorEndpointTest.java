package io.github.tdmqhttp.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/tdmqhttp} runs the doctor for each tdmq-http endpoint of the running routes: the consumer's with
 * its subscription, the producer's with its send action; it sends nothing and shows no secret.
 */
@SpringBootTest(classes = StarterTestApplication.class,
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "camel.component.tdmq-http.region=ap-guangzhou",
                        "camel.component.tdmq-http.string-token=rt-DoctorRoleKeyValue",
                        "management.endpoints.web.exposure.include=tdmqhttp" })
class TdmqHttpDoctorEndpointTest {

    static final TdmqEmulator EMULATOR = TdmqEmulator.builder().stringTokens("rt-DoctorRoleKeyValue")
            .denyActions(TdmqEmulator.DEFAULT_SECRET_ID, "SendMessages")
            .topic(StarterTestApplication.TOPIC).build().start();

    @DynamicPropertySource
    static void emulatorProperties(DynamicPropertyRegistry registry) {
        registry.add("camel.component.tdmq-http.endpoint", EMULATOR::endpoint);
        registry.add("camel.component.tdmq-http.secret-id", EMULATOR::secretId);
        registry.add("camel.component.tdmq-http.secret-key", EMULATOR::secretKey);
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.stop();
    }

    @LocalServerPort
    int port;

    @Test
    void checksEachEndpointOfTheRoutesAndNamesTheDeniedSendAction() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/tdmqhttp")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .startsWith("{\"passed\":false,\"endpoints\":[")
                .contains("\"endpoint\":\"to tdmq-http:pulsar-boot/ns/orders\"")
                .contains("\"endpoint\":\"from tdmq-http:pulsar-boot/ns/orders (subscription boot)\"")
                .contains("{\"check\":\"action SendMessages\",\"status\":\"FAIL\",\"found\":\"denied to these keys"
                          + " (AuthFailure.UnauthorizedOperation, RequestId ")
                .contains("\"fix\":\"add tdmq:SendMessages to the CAM policy of these keys.")
                .contains("{\"check\":\"subscription\",\"status\":\"OK\",\"found\":\"boot receives from"
                          + " pulsar-boot/ns/orders")
                .doesNotContain(EMULATOR.secretKey()).doesNotContain(EMULATOR.secretId())
                .doesNotContain("rt-DoctorRoleKeyValue");
        assertThat(EMULATOR.broker().topicStats(StarterTestApplication.TOPIC).sent()).isZero();
    }
}
