package io.github.tdmqhttp.camel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Micrometer on the classpath the figures are meters named tdmq.http.*, tagged with the topic, the subscription,
 * the route and the role, in the MeterRegistry of Camel's registry; they leave the registry when the route stops. Runs
 * in the build's execution with Micrometer (the other tests run without it).
 */
class TdmqHttpMicrometerTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .receiveWait(Duration.ofMillis(100)));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private CamelContext context;
    private String topic;

    @BeforeEach
    void nameTheTopicAfterTheTest(TestInfo test) {
        topic = "pulsar-meters/ns/" + test.getTestMethod().orElseThrow().getName();
        emulator.broker().createTopic(topic, 1);
        emulator.broker().createTopic(topic + "-out", 1);
    }

    @AfterEach
    void stopContext() {
        if (context != null) {
            context.stop();
        }
    }

    private void start(String options) throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("meters", registry);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=meters&delay=50&initialDelay=0" + options)
                        .routeId("bridge").to(emulator.camelUri(topic + "-out") + options);
            }
        });
        context.start();
    }

    @Test
    void theFiguresAreMetersTaggedWithTopicSubscriptionRouteAndRole() throws Exception {
        for (int i = 0; i < 3; i++) {
            emulator.publish(topic, "m" + i);
        }
        start("");

        await().atMost(10, TimeUnit.SECONDS).until(() -> counter("tdmq.http.messages.acknowledged", "consumer") == 3);
        assertThat(counter("tdmq.http.messages.received", "consumer")).isEqualTo(3);
        assertThat(counter("tdmq.http.messages.processed", "consumer")).isEqualTo(3);
        assertThat(counter("tdmq.http.messages.sent", "producer")).isEqualTo(3);
        assertThat(counter("tdmq.http.sends.failed", "producer")).isZero();
        Meter received = registry.find("tdmq.http.messages.received").meter();
        assertThat(received.getId().getTag("topic")).isEqualTo(topic);
        assertThat(received.getId().getTag("subscription")).isEqualTo("meters");
        assertThat(received.getId().getTag("route")).isEqualTo("bridge");
        assertThat(registry.find("tdmq.http.messages.sent").meter().getId().getTag("route")).isEqualTo("bridge");
        assertThat(registry.find("tdmq.http.poll.last.success.timestamp").gauge().value())
                .isGreaterThan(System.currentTimeMillis() / 1000.0 - 60);
        assertThat(registry.find("tdmq.http.rate.limit").tag("action", "ReceiveMessage").gauge().value())
                .isEqualTo(1000.0);

        Timer acks = registry.find("tdmq.http.calls").tag("action", "AcknowledgeMessage").tag("outcome", "success")
                .timer();
        assertThat(acks.count()).isEqualTo(3);
        assertThat(acks.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile)
                .contains(0.5, 0.95, 0.99);
        assertThat(registry.find("tdmq.http.calls").tag("action", "SendMessages").timer().count()).isEqualTo(3);

        context.stop();
        assertThat(registry.find("tdmq.http.messages.received").meters()).isEmpty();
        assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("tdmq.http."));
    }

    @Test
    void metricsEnabledFalsePublishesNoMeter() throws Exception {
        emulator.publish(topic, "m");
        start("&metricsEnabled=false");
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) context.getRoute("bridge").getConsumer();

        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.getAcknowledgedCount() == 1);
        assertThat(registry.getMeters()).isEmpty();
    }

    private double counter(String name, String role) {
        FunctionCounter counter = registry.find(name).tag("role", role).functionCounter();
        return counter != null ? counter.count() : -1;
    }

}
