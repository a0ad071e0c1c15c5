package io.github.tdmqhttp.camel;

import java.time.Duration;

import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS to an endpoint whose certificate the JVM does not trust (a private endpoint, an inspecting proxy, the
 * emulator): trusted through sslContextParameters, the Camel way, and refused without them.
 */
class TdmqHttpsTest extends CamelTestSupport {

    private static final String TOPIC = "pulsar-tls/ns/orders";
    private static final String SEND_ONLY_TOPIC = "pulsar-tls/ns/sent";

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder().https().topic(TOPIC)
            .topic(SEND_ONLY_TOPIC)
            .receiveWait(Duration.ofMillis(200)));

    @Override
    public boolean isUseRouteBuilder() {
        return false;
    }

    private String uri(String options) {
        return uri(TOPIC, options);
    }

    private String uri(String topic, String options) {
        return "tdmq-http:" + topic + "?region=" + TdmqEmulator.REGION + "&endpoint=" + emulator.get().httpsEndpoint()
               + "&secretId=RAW(" + emulator.get().secretId() + ")&secretKey=RAW(" + emulator.get().secretKey() + ")"
               + options;
    }

    @Test
    void sendsAndReceivesOverHttpsWithTheTrustOfSslContextParameters() throws Exception {
        context.getRegistry().bind("emulatorTls", EmulatedTdmqHttp.trustingTheEmulator(emulator.get()));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("&subscription=tls&initialDelay=0&sslContextParameters=#emulatorTls")).to("mock:received");
            }
        });
        context.start();
        MockEndpoint received = getMockEndpoint("mock:received");
        received.expectedBodiesReceived("over TLS");
        long handshakesBefore = emulator.get().connectionCounts().https();

        template.sendBody(uri("&maxRetries=0&sslContextParameters=#emulatorTls"), "over TLS");

        received.assertIsSatisfied(10_000);
        assertThat(emulator.get().connectionCounts().https()).isGreaterThan(handshakesBefore);
    }

    @Test
    void refusesACertificateTheJvmDoesNotTrustWithoutSslContextParameters() throws Exception {
        context.start();

        assertThatThrownBy(() -> template.sendBody(uri(SEND_ONLY_TOPIC, "&maxRetries=0"), "refused"))
                .isInstanceOf(CamelExecutionException.class).cause().isInstanceOf(TdmqHttpException.class)
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void aComponentWideSslContextParametersAppliesToEveryEndpoint() throws Exception {
        context.getComponent("tdmq-http", TdmqHttpComponent.class).getConfiguration()
                .setSslContextParameters(EmulatedTdmqHttp.trustingTheEmulator(emulator.get()));
        context.start();
        long sentBefore = emulator.get().broker().topicStats(SEND_ONLY_TOPIC).sent();

        template.sendBody(uri(SEND_ONLY_TOPIC, "&maxRetries=0"), "component-wide");

        assertThat(emulator.get().broker().topicStats(SEND_ONLY_TOPIC).sent()).isEqualTo(sentBefore + 1);
    }
}
