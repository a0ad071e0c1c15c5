package io.github.tdmqhttp.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 5: a Spring Boot application with DEBUG logging everywhere and TRACE for the component, run through sends,
 * receives, refusals and a failing consumer. The values of secretKey, sessionToken and stringToken appear in no log
 * line, no exception message, no endpoint URI Camel prints or registers, no health detail, and not in the actuator's
 * env or configprops output, although the application asks the actuator to show values.
 */
class SecretsTest {

    private static final String SECRET_KEY = "sk-Reliability7SecretKeyValue";
    private static final String SESSION_TOKEN = "st-Reliability7SessionTokenValue";
    private static final String STRING_TOKEN = "rt-Reliability7RoleKeyValue";
    private static final List<String> SECRETS = List.of(SECRET_KEY, SESSION_TOKEN, STRING_TOKEN);
    private static final Path LOG = Path.of("target", "secrets-scenario.log");

    /** Routes that send, receive, and fail, with secrets both in component properties and in an endpoint URI. */
    @SpringBootApplication
    public static class SecretsApplication {

        @Bean
        RouteBuilder routes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").routeId("send").to("tdmq-http:pulsar-secret/ns/orders");
                    from("direct:uri").routeId("uri").to("tdmq-http:pulsar-secret/ns/orders?secretId=RAW(AKIDsecret)"
                                                         + "&secretKey=RAW(" + SECRET_KEY + ")&sessionToken=RAW("
                                                         + SESSION_TOKEN + ")&stringToken=RAW(" + STRING_TOKEN + ")");
                    from("tdmq-http:pulsar-secret/ns/orders?subscription=s&initialDelay=0&delay=50").routeId("receive")
                            .log("received ${body}");
                    from("tdmq-http:pulsar-secret/ns/flat?subscription=s&initialDelay=0&delay=200").routeId("failing")
                            .log("never");
                }
            };
        }
    }

    @Test
    void noSecretInLogsExceptionsUrisHealthEnvOrConfigprops() throws Exception {
        List<String> seen = new ArrayList<>();
        int received;
        try (TdmqEmulator emulator = TdmqEmulator.builder()
                .addTemporaryCredentials("AKIDsecret", SECRET_KEY, SESSION_TOKEN, Instant.now().plusSeconds(3600))
                .stringTokens(STRING_TOKEN).topic("pulsar-secret/ns/flat", 0).topic("pulsar-secret/ns/orders")
                .build().start();
             ConfigurableApplicationContext application = new SpringApplicationBuilder(SecretsApplication.class)
                     .properties("server.port=0",
                             "spring.main.banner-mode=off",
                             "logging.config=classpath:secrets-logback.xml",
                             "camel.component.tdmq-http.endpoint=" + emulator.endpoint(),
                             "camel.component.tdmq-http.region=ap-guangzhou",
                             "camel.component.tdmq-http.secret-id=AKIDsecret",
                             "camel.component.tdmq-http.secret-key=" + SECRET_KEY,
                             "camel.component.tdmq-http.session-token=" + SESSION_TOKEN,
                             "camel.component.tdmq-http.string-token=" + STRING_TOKEN,
                             "camel.health.exposure-level=full",
                             "management.endpoints.web.exposure.include=health,env,configprops",
                             "management.endpoint.health.show-details=always",
                             "management.endpoint.env.show-values=always",
                             "management.endpoint.configprops.show-values=always")
                     .run()) {
            CamelContext camel = application.getBean(CamelContext.class);
            for (int i = 0; i < 5; i++) {
                camel.createProducerTemplate().sendBody(i % 2 == 0 ? "direct:send" : "direct:uri", "order " + i);
            }
            Exchange refused = camel.createProducerTemplate().request("direct:uri", e -> e.getMessage().setBody(null));
            for (Throwable cause = refused.getException(); cause != null; cause = cause.getCause()) {
                seen.add(cause.toString());
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> emulator.broker().subscriptionStats(
                    "pulsar-secret/ns/orders", "s").acked() == 5);
            received = (int) emulator.broker().subscriptionStats("pulsar-secret/ns/orders", "s").acked();
            await().atMost(20, TimeUnit.SECONDS).until(() -> HealthCheckHelper.invoke(camel).stream().anyMatch(
                    result -> result.getCheck().getId().equals("consumer:failing")
                              && result.getState() == HealthCheck.State.DOWN));

            int port = ((WebServerApplicationContext) application).getWebServer().getPort();
            for (String path : List.of("/actuator/health", "/actuator/env", "/actuator/configprops")) {
                seen.add(get(port, path));
            }
            for (HealthCheck.Result result : HealthCheckHelper.invoke(camel)) {
                result.getMessage().ifPresent(seen::add);
                result.getDetails().forEach((key, value) -> seen.add(key + "=" + value));
                result.getError().ifPresent(error -> seen.add(error.toString()));
            }
            for (Endpoint endpoint : camel.getEndpoints()) {
                seen.add(endpoint.toString());
                seen.add(endpoint.getEndpointBaseUri());
            }
            camel.getEndpointRegistry().values().forEach(endpoint -> seen.add(endpoint.toString()));
        }
        List<String> logLines = Files.readAllLines(LOG);
        seen.addAll(logLines);

        assertThat(logLines).as("DEBUG logging ran").anyMatch(line -> line.contains("DEBUG"));
        assertThat(seen).anyMatch(line -> line.contains("secretKey=xxxxxx"));
        assertThat(seen).anyMatch(line -> line.contains("InvalidPayload"));
        List<String> leaks = seen.stream().filter(line -> SECRETS.stream().anyMatch(line::contains)).toList();
        Figures.add(new Figures.Row("5. Secrets: DEBUG everywhere, TRACE for the component, actuator showing values",
                received, 5 - received, 0, "—",
                String.format("%d log lines, 3 actuator outputs, health details, endpoint URIs and exception messages"
                              + " searched: %d hold a secret", logLines.size(), leaks.size())));
        assertThat(leaks).isEmpty();
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
