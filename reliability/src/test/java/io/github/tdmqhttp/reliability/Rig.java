package io.github.tdmqhttp.reliability;

import java.time.Duration;
import java.util.List;

import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorBuilder;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;

/** What the scenarios share: an emulator, Camel contexts pointed at it, and the counters read off both. */
final class Rig {

    static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

    private Rig() {
    }

    /** An emulator with the topics declared and no rate limit (the throttling scenario sets its own quota). */
    static TdmqEmulator emulator(String... topics) {
        TdmqEmulatorBuilder builder = TdmqEmulator.builder();
        for (String topic : topics) {
            builder.topic(topic);
        }
        return builder.ackTimeout(ACK_TIMEOUT).receiveWait(Duration.ofMillis(300))
                // Each scenario runs several Camel contexts, each spacing its calls under 1000 a second per action:
                // together they can go over the service's quota, which only the throttling scenario is about.
                .noRateLimit()
                .build().start();
    }

    /** A context whose tdmq-http component points at the emulator, named, with a 30 s shutdown timeout. */
    static CamelContext camel(TdmqEmulator emulator, String name) {
        CamelContext camel = EmulatedTdmqHttp.context(emulator);
        camel.getCamelContextExtension().setName(name);
        camel.getShutdownStrategy().setTimeout(30);
        return camel;
    }

    static void enableHealth(CamelContext camel) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camel);
        registry.register(registry.resolveById("consumers"));
    }

    static HealthCheck.State consumerHealth(CamelContext camel, String routeId) {
        return HealthCheckHelper.invoke(camel).stream()
                .filter(result -> result.getCheck().getId().equals("consumer:" + routeId))
                .map(HealthCheck.Result::getState).findFirst().orElse(HealthCheck.State.UNKNOWN);
    }

    static SubscriptionStats subscription(TdmqEmulator emulator, String topic, String subscription) {
        return emulator.broker().stats().stream().filter(stats -> stats.topic().equals(topic))
                .flatMap(stats -> stats.subscriptions().stream())
                .filter(stats -> stats.subscription().equals(subscription)).findFirst()
                .orElse(new SubscriptionStats(topic, subscription, 0, 0, 0, 0, 0, 0, 0, false));
    }

    static long stored(TdmqEmulator emulator, String topic) {
        return emulator.broker().stats().stream().filter(stats -> stats.topic().equals(topic))
                .mapToLong(stats -> stats.sent()).sum();
    }

    static List<String> payloads(String prefix, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> String.format("%s-%06d", prefix, i)).toList();
    }
}
