package io.github.tdmqhttp.camel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With DEBUG logging everywhere and TRACE for the component, the values of secretKey, sessionToken and stringToken
 * appear in no log line, no exception message, no endpoint URI Camel prints or registers, and no health detail; on
 * success paths and failure paths alike.
 */
class SecretsNeverShowTest {

    private static final String SECRET_KEY = "sk-Zq8vN3wTopSecretValue";
    private static final String SESSION_TOKEN = "st-Hx7cSessionTokenValue";
    private static final String STRING_TOKEN = "rt-Mw4pRoleKeyTokenValue";
    private static final List<String> SECRETS = List.of(SECRET_KEY, SESSION_TOKEN, STRING_TOKEN);

    @RegisterExtension
    static WireMockExtension api = WireMockApi.extension(new WireMockApi.ConcurrencyProbe());

    private String uri(String options) {
        return "tdmq-http:pulsar-sec/ns/t?region=ap-guangzhou&endpoint=http://127.0.0.1:" + api.getPort()
               + "&secretId=RAW(AKIDsecrettest)&secretKey=RAW(" + SECRET_KEY + ")&sessionToken=RAW(" + SESSION_TOKEN
               + ")&stringToken=RAW(" + STRING_TOKEN + ")&retryInitialDelay=1&retryMaxDelay=2&" + options;
    }

    @Test
    void noSecretInLogsExceptionsEndpointUrisOrHealthDetails() throws Exception {
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("SendMessages"))
                .willReturn(WireMockApi.sent("1:1:0:0")));
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("SendBatchMessages"))
                .willReturn(WireMockApi.error("AuthFailure.TokenFailure", "token expired")));
        api.stubFor(post("/").withHeader("X-TC-Action", equalTo("ReceiveMessage"))
                .willReturn(WireMockApi.body(502, "text/html", "<html>Bad Gateway</html>")));
        List<String> seen = new ArrayList<>();

        try (LogCapture logs = LogCapture.debug()) {
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").routeId("send").to(uri("maxRetries=1"));
                    from("direct:batch").routeId("batch").to(uri("maxRetries=1&batching=true"));
                    from(uri("subscription=sub&initialDelay=0&delay=10")).routeId("consume").to("mock:out");
                }
            });
            context.start();
            Health.enableConsumerChecks(context);
            ProducerTemplate template = context.createProducerTemplate();

            Exchange sent = template.request("direct:send", e -> e.getMessage().setBody("fine"));
            Exchange refused = template.request("direct:batch", e -> e.getMessage().setBody("refused"));
            Exchange nullBody = template.request("direct:send", e -> e.getMessage().setBody(null));
            assertThat(sent.getException()).isNull();
            assertThat(refused.getException()).isInstanceOf(TdmqHttpException.class);
            assertThat(nullBody.getException()).isInstanceOf(TdmqHttpException.class);
            seen.addAll(messagesOf(refused.getException()));
            seen.addAll(messagesOf(nullBody.getException()));

            Collection<HealthCheck.Result> health = await().atMost(10, TimeUnit.SECONDS).until(
                    () -> HealthCheckHelper.invoke(context),
                    results -> results.stream().anyMatch(r -> r.getCheck().getId().equals("consumer:consume")
                                                              && r.getState() == HealthCheck.State.DOWN));
            for (HealthCheck.Result result : health) {
                seen.add(String.valueOf(result.getMessage().orElse("")));
                result.getDetails().forEach((key, value) -> seen.add(key + "=" + value));
                result.getError().ifPresent(error -> seen.addAll(messagesOf(error)));
            }
            for (Endpoint endpoint : context.getEndpoints()) {
                seen.add(endpoint.toString());
                seen.add(endpoint.getEndpointBaseUri());
            }
            context.getEndpointRegistry().values().forEach(endpoint -> seen.add(endpoint.toString()));
            context.getRoutes().forEach(route -> seen.add(route.getEndpoint().toString()));
            context.getRoutes().forEach(route -> seen.add(String.valueOf(route.getConsumer())));
            context.stop();
            seen.addAll(logs.lines());
        }

        assertThat(seen).isNotEmpty();
        assertThat(seen).anySatisfy(line -> assertThat(line).contains("secretKey=xxxxxx"));
        assertThat(seen).anySatisfy(line -> assertThat(line).contains("AuthFailure.TokenFailure"));
        for (String line : seen) {
            for (String secret : SECRETS) {
                assertThat(line).as("a log line, message or URI").doesNotContain(secret);
            }
        }
    }

    private static List<String> messagesOf(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(cause.toString());
        }
        return messages;
    }
}
