package io.github.tdmqhttp.camel;

import java.time.Duration;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorBuilder;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Routes against the emulator, for the consumer's tests: each test has a topic of one partition, named after it, and
 * adds its routes before the context starts. A subclass registers its emulator (built from {@link #emulatorBuilder()},
 * a short ack timeout so that redeliveries come within a test) and names the namespace of its topics.
 */
abstract class EmulatorRouteTestSupport extends CamelTestSupport {

    static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

    /** The test's topic. */
    protected String topic;

    /** The ack timeout of {@link #ACK_TIMEOUT} and an empty receive that waits 200 ms. */
    static TdmqEmulatorBuilder emulatorBuilder() {
        return TdmqEmulator.builder().ackTimeout(ACK_TIMEOUT).receiveWait(Duration.ofMillis(200));
    }

    /** The emulator the test class registered. */
    protected abstract TdmqEmulatorExtension emulator();

    /** The cluster and namespace of the test class's topics, e.g. {@code pulsar-consumer/ns}. */
    protected abstract String namespace();

    @BeforeEach
    void nameTheTopicAfterTheTest(TestInfo test) {
        topic = namespace() + "/" + test.getTestMethod().orElseThrow().getName();
        emulator().broker().createTopic(topic, 1);
    }

    @Override
    public boolean isUseRouteBuilder() {
        return false;
    }

    /**
     * A consumer URI on the test's topic that polls at once and often, and knows the emulator's ack timeout, unless
     * the options say otherwise.
     */
    protected String from(String options) {
        return from(topic, options);
    }

    /** The same on another topic. */
    protected String from(String topic, String options) {
        String defaults = (options.contains("initialDelay=") ? "" : "initialDelay=0&")
                          + (options.contains("&delay=") || options.startsWith("delay=") ? "" : "delay=50&")
                          + (options.contains("ackTimeout=") ? "" : "ackTimeout=" + ACK_TIMEOUT.toMillis() + "&");
        return emulator().camelUri(topic) + "&" + defaults + options;
    }

    protected void route(RouteBuilder builder) throws Exception {
        context.addRoutes(builder);
        context.start();
    }

    /** The counters of a subscription of the test's topic; all zero until its first receive creates it. */
    protected SubscriptionStats stats(String subscription) {
        return stats(topic, subscription);
    }

    /** The same on another topic. */
    protected SubscriptionStats stats(String topic, String subscription) {
        boolean exists = emulator().broker().stats().stream()
                .filter(stats -> stats.topic().equals(topic))
                .flatMap(stats -> stats.subscriptions().stream())
                .anyMatch(stats -> stats.subscription().equals(subscription));
        return exists ? emulator().broker().subscriptionStats(topic, subscription)
                : new SubscriptionStats(topic, subscription, 0, 0, 0, 0, 0, 0, 0, false);
    }
}
