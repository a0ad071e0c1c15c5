package io.github.tdmqhttp.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TdmqClient bean of the application's own, with temporary credentials: the component is autowired with it, and
 * the actuator's configprops, which then show the client's credential, show none of its secrets.
 */
@SpringBootTest(classes = { StarterTestApplication.class, StarterClientBeanTest.Beans.class },
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        "management.endpoints.web.exposure.include=configprops,env",
                        "management.endpoint.configprops.show-values=always",
                        "management.endpoint.env.show-values=always" })
class StarterClientBeanTest {

    static final String SECRET_KEY = "sk-ClientBeanSecretKeyValue";
    static final String TOKEN = "st-ClientBeanSessionTokenValue";
    static final TdmqEmulator EMULATOR = TdmqEmulator.builder()
            .addTemporaryCredentials("AKIDclientbean", SECRET_KEY, TOKEN, Instant.now().plusSeconds(3600))
            .topic(StarterTestApplication.TOPIC)
            .build().start();

    @AfterAll
    static void stopEmulator() {
        EMULATOR.stop();
    }

    @TestConfiguration
    static class Beans {
        @Bean
        TdmqClient ownClient() {
            HttpProfile http = new HttpProfile();
            http.setEndpoint("127.0.0.1:" + EMULATOR.port());
            http.setProtocol(HttpProfile.REQ_HTTP);
            http.setReadTimeout(30);
            return new TdmqClient(new Credential("AKIDclientbean", SECRET_KEY, TOKEN), EMULATOR.region(),
                    new ClientProfile(ClientProfile.SIGN_TC3_256, http));
        }
    }

    @Autowired
    ProducerTemplate template;
    @LocalServerPort
    int port;

    @Test
    void theClientBeanIsUsedAndItsSecretsStayMasked() throws Exception {
        template.sendBody("direct:send", "through my own client");
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> EMULATOR.broker().topicStats(StarterTestApplication.TOPIC).sent() == 1);

        for (String path : List.of("/actuator/configprops", "/actuator/env")) {
            String output = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(output).as(path).doesNotContain(SECRET_KEY).doesNotContain(TOKEN);
        }
    }
}
