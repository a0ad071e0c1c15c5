package io.github.tdmqhttp.camel.doctor;

import java.time.Duration;
import java.util.Map;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tdmq-http-doctor dev console runs the doctor on each tdmq-http endpoint of the running routes. */
class TdmqHttpDoctorDevConsoleTest {

    private static final String TOPIC = "pulsar-console/default/orders";

    @Test
    void checksTheConsumersSubscriptionAndTheProducersSendActionAndSendsNothing() throws Exception {
        try (TdmqEmulator emulator = TdmqEmulator.builder().receiveWait(Duration.ofMillis(100)).topic(TOPIC, 1)
                .denyActions(TdmqEmulator.DEFAULT_SECRET_ID, "SendMessages").build().start();
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(emulator.camelUri(TOPIC) + "&subscription=console&delay=50").routeId("receive")
                            .log("${body}");
                    from("direct:send").routeId("send").to(emulator.camelUri(TOPIC));
                }
            });
            context.start();

            DevConsole console = PluginHelper.getDevConsoleResolver(context).resolveDevConsole("tdmq-http-doctor");
            assertThat(console).isInstanceOf(TdmqHttpDoctorDevConsole.class);
            String text = (String) console.call(DevConsole.MediaType.TEXT);
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);

            assertThat(text).contains("from tdmq-http:" + TOPIC + " (subscription console)\n    OK   endpoint: ")
                    .contains("    OK   subscription: console receives from " + TOPIC)
                    .contains("to tdmq-http:" + TOPIC + "\n    OK   endpoint: ")
                    .contains("    FAIL action SendMessages: denied to these keys (AuthFailure.UnauthorizedOperation,"
                              + " RequestId ");
            assertThat(json).containsEntry("passed", false);
            for (String output : new String[] { text, json.toString() }) {
                assertThat(output).doesNotContain(emulator.secretKey()).doesNotContain(emulator.secretId());
            }
            assertThat(emulator.broker().topicStats(TOPIC).sent()).isZero();
        }
    }
}
