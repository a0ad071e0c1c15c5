package io.github.tdmqhttp.examples.yaml;

import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The YAML routes, run by camel-main as the example runs them, send their orders and receive every one of them. */
class YamlRoutesExampleTest {

    @Test
    void theYamlRoutesSendAndReceiveEveryOrder() throws Exception {
        Main main = new Main(YamlRoutesExample.class);
        main.addInitialProperty("orders.count", "5");
        main.addInitialProperty("orders.period", "100");
        try (TdmqEmulator emulator = YamlRoutesExample.useEmulator(main)) {
            main.start();
            try {
                await().atMost(30, TimeUnit.SECONDS).until(() -> emulator.broker().stats().stream()
                        .filter(topic -> topic.topic().equals("pulsar-demo/default/orders"))
                        .flatMap(topic -> topic.subscriptions().stream())
                        .anyMatch(subscription -> subscription.acked() == 5));
                assertThat(emulator.broker().topicStats("pulsar-demo/default/orders").sent()).isEqualTo(5);
                assertThat(main.getCamelContext().getRoutes()).extracting(route -> route.getRouteId())
                        .containsExactlyInAnyOrder("send-orders", "receive-orders");
            } finally {
                main.stop();
            }
        }
    }
}
