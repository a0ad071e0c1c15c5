package io.github.tdmqhttp.camel;

import com.tencentcloudapi.common.Credential;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.CamelContextHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets given as component options, as the README recommends, reach the API without ever being in a URI; two role
 * keys need two components, the second bound under a name of its own.
 */
class ComponentOptionsTest {

    private static TdmqHttpComponent component(TdmqEmulator emulator, String roleKey) {
        TdmqHttpComponent component = new TdmqHttpComponent();
        TdmqHttpConfiguration configuration = component.getConfiguration();
        configuration.setRegion(emulator.region());
        configuration.setEndpoint(emulator.endpoint());
        configuration.setCredentialsProvider(() -> new Credential(emulator.secretId(), emulator.secretKey()));
        configuration.setStringToken(roleKey);
        return component;
    }

    @Test
    void aSecondComponentUnderAnotherNameCarriesItsOwnRoleKey() throws Exception {
        // Each emulator knows one role key only: a send with the other one fails with TokenNotFound.
        try (TdmqEmulator orders = TdmqEmulator.builder().stringTokens("rt-orders").topic("pulsar-x/orders/o")
                .build().start();
             TdmqEmulator shipping = TdmqEmulator.builder().stringTokens("rt-shipping").topic("pulsar-x/shipping/s")
                     .build().start();
             CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("tdmq-http", component(orders, "rt-orders"));
            camel.addComponent("tdmq-shipping", component(shipping, "rt-shipping"));
            camel.start();

            camel.createProducerTemplate().sendBody("tdmq-http:pulsar-x/orders/o", "to orders");
            camel.createProducerTemplate().sendBody("tdmq-shipping:pulsar-x/shipping/s", "to shipping");

            assertThat(orders.broker().topicStats("pulsar-x/orders/o").sent()).isOne();
            assertThat(shipping.broker().topicStats("pulsar-x/shipping/s").sent()).isOne();
            assertThat(camel.getEndpoints()).allSatisfy(endpoint -> assertThat(endpoint.getEndpointUri())
                    .doesNotContain("rt-orders").doesNotContain("rt-shipping"));
        }
    }

    @Test
    void camelMasksTheRoleKeyByNameAsItMasksTheSecretKeyAndKeepsTheApplicationsKeywords() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setAdditionalSensitiveKeywords("pin");
            camel.addComponent("tdmq-http", new TdmqHttpComponent());

            assertThat(CamelContextHelper.containsSensitive(camel, "camel.component.tdmq-http.stringToken")).isTrue();
            assertThat(CamelContextHelper.containsSensitive(camel, "camel.component.tdmq-http.string-token")).isTrue();
            assertThat(CamelContextHelper.containsSensitive(camel, "camel.component.tdmq-http.secretKey")).isTrue();
            assertThat(CamelContextHelper.containsSensitive(camel, "camel.component.other.pin")).isTrue();
            assertThat(CamelContextHelper.containsSensitive(camel, "camel.component.tdmq-http.region")).isFalse();
        }
    }
}
