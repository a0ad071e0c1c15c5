package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.metrics.MetricsPublisher;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What an operator sees: the consumer's and producer's figures, as JMX attributes, in the tdmq-http dev console and in
 * the consumer's health details. These tests run without Micrometer on the classpath, as an application without it
 * does (the Micrometer meters are tested in {@link TdmqHttpMicrometerTest}).
 */
class TdmqHttpObservabilityTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(Duration.ofSeconds(1)).receiveWait(Duration.ofMillis(100)));

    private final List<CamelContext> contexts = new ArrayList<>();
    private String topic;

    @BeforeEach
    void nameTheTopicAfterTheTest(TestInfo test) {
        topic = "pulsar-observe/ns/" + test.getTestMethod().orElseThrow().getName();
        emulator.broker().createTopic(topic, 1);
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    private CamelContext start(RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(10);
        Health.enableConsumerChecks(context);
        context.addRoutes(routes);
        contexts.add(context);
        context.start();
        return context;
    }

    private static TdmqHttpConsumer consumerOf(CamelContext context, String routeId) {
        Route route = context.getRoute(routeId);
        return (TdmqHttpConsumer) route.getConsumer();
    }

    @Test
    void theseTestsRunWithoutMicrometer() {
        // Only the execution of the Micrometer tests has it, and runs this class too when asked for it by -Dtest.
        assumeFalse(Boolean.getBoolean("tdmq.test.micrometer"));
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(MetricsPublisher.isMicrometerPresent()).isFalse();
    }

    @Test
    void theConsumerCountsWhatItReceivesProcessesAcknowledgesAndSeesAgain() throws Exception {
        for (int i = 0; i < 5; i++) {
            emulator.publish(topic, "m" + i);
        }
        Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=s&ackTimeout=1000&delay=50&initialDelay=0")
                        .routeId("receive").process(exchange -> {
                            // m3 fails on its first delivery, so it comes back after the ack timeout.
                            if ("m3".equals(exchange.getMessage().getBody(String.class)) && failedOnce.add("m3")) {
                                throw new IllegalStateException("first delivery of m3 fails");
                            }
                        });
            }
        });
        TdmqHttpConsumer consumer = consumerOf(context, "receive");

        await().atMost(20, TimeUnit.SECONDS).until(() -> consumer.getAcknowledgedCount() == 5
                                                         && consumer.getIdlePollCount() > 0);

        assertThat(consumer.getReceivedCount()).isEqualTo(6);
        assertThat(consumer.getProcessedCount()).isEqualTo(6);
        assertThat(consumer.getFailedCount()).isEqualTo(1);
        assertThat(consumer.getRedeliveredCount()).isEqualTo(1);
        assertThat(consumer.getAckFailureCount()).isZero();
        assertThat(consumer.getLastSuccessfulPoll()).isGreaterThan(0);
        assertThat(consumer.getConsecutivePollFailures()).isZero();
        assertThat(consumer.getCurrentReceiveRate()).isEqualTo(1000.0);
        TdmqHttpMetrics.CallFigures acks = consumer.metrics().calls(TdmqHttpActions.ACKNOWLEDGE_MESSAGE);
        assertThat(acks.count()).isEqualTo(5);
        assertThat(acks.percentileMillis(0.99)).isGreaterThan(0).isLessThanOrEqualTo(acks.maxMillis());
        assertThat(consumer.metrics().calls(TdmqHttpActions.RECEIVE_MESSAGE).count())
                .isGreaterThanOrEqualTo(consumer.getIdlePollCount() + 2);
        assertThat(consumer.getCallLatency()).contains("ReceiveMessage: ").contains("AcknowledgeMessage: 5 calls");
    }

    @Test
    void theProducerCountsSendsFailuresRetriesAndThrottling() throws Exception {
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send")
                        .to(emulator.camelUri(topic) + "&retryInitialDelay=1&retryMaxDelay=2");
            }
        });
        ProducerTemplate template = context.createProducerTemplate();
        emulator.faults().add(FaultRule.errorCode("RequestLimitExceeded", "throttled").forAction("SendMessages")
                .times(2));

        template.sendBody("direct:send", "one");
        template.sendBody("direct:send", List.of("two", "three"));
        emulator.faults().add(FaultRule.errorCode("AuthFailure.SignatureFailure", "refused")
                .forAction("SendMessages").times(1));
        assertThatThrownBy(() -> template.sendBody("direct:send", "four")).hasCauseInstanceOf(
                TdmqHttpException.class);

        TdmqHttpMetrics metrics = context.getComponent("tdmq-http", TdmqHttpComponent.class).observed().stream()
                .filter(figures -> figures.role() == TdmqHttpMetrics.Role.producer).findFirst().orElseThrow();
        assertThat(metrics.sends()).isEqualTo(3);
        assertThat(metrics.sendFailures()).isEqualTo(1);
        assertThat(metrics.retries()).isEqualTo(2);
        assertThat(metrics.throttled()).isEqualTo(2);
        assertThat(metrics.routeId()).isEqualTo("send");
        assertThat(metrics.calls(TdmqHttpActions.SEND_MESSAGES).count()).isEqualTo(6);
        assertThat(metrics.calls(TdmqHttpActions.SEND_MESSAGES).failures()).isEqualTo(3);
        assertThat(metrics.callsInFlight()).isZero();
    }

    @Test
    void theConsumerAndTheProducerAreManagedResources() throws Exception {
        emulator.publish(topic, "hello");
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=jmx&delay=50&initialDelay=0").routeId("receive")
                        .to(emulator.camelUri(topic + "-copy"));
            }
        });
        emulator.broker().createTopic(topic + "-copy", 1);
        TdmqHttpConsumer consumer = consumerOf(context, "receive");
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.getAcknowledgedCount() == 1);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> consumers = server.queryNames(new ObjectName("org.apache.camel:context="
                                                                     + context.getManagementName()
                                                                     + ",type=consumers,*"), null);
        assertThat(consumers).hasSize(1);
        ObjectName consumerName = consumers.iterator().next();
        assertThat(server.getAttribute(consumerName, "ReceivedCount")).isEqualTo(1L);
        assertThat(server.getAttribute(consumerName, "AcknowledgedCount")).isEqualTo(1L);
        assertThat(server.getAttribute(consumerName, "LastSuccessfulPoll")).isInstanceOf(Long.class);
        assertThat((String) server.getAttribute(consumerName, "CallLatency")).contains("ReceiveMessage");
        // Camel's own attributes are still there.
        assertThat(server.getAttribute(consumerName, "RouteId")).isEqualTo("receive");
        // Every attribute of the consumer's own, so that one lost in a refactoring fails here.
        assertThat(Arrays.stream(server.getMBeanInfo(consumerName).getAttributes()).map(MBeanAttributeInfo::getName))
                .contains("ReceivedCount", "ProcessedCount", "FailedCount", "AcknowledgedCount", "AckFailureCount",
                        "RedeliveredCount", "DeadLetteredCount", "SkippedPastDeadlineCount", "UnpairedBatchCount",
                        "IdlePollCount", "RetryCount", "ThrottledCount", "CallsInFlight", "AcksWaiting",
                        "UnacknowledgedCount", "UnacknowledgedLimit", "CurrentReceiveRate", "LastSuccessfulPoll",
                        "ConsecutivePollFailures", "LastPollErrorCode", "CallLatency", "CurrentBatchSize",
                        "DeadLetterTopic");

        Set<ObjectName> producers = server.queryNames(new ObjectName("org.apache.camel:context="
                                                                     + context.getManagementName()
                                                                     + ",type=producers,*"), null);
        assertThat(producers).hasSize(1);
        ObjectName producerName = producers.iterator().next();
        assertThat(server.getAttribute(producerName, "SentCount")).isEqualTo(1L);
        assertThat(server.getAttribute(producerName, "SendFailureCount")).isEqualTo(0L);
    }

    @Test
    void theDevConsoleListsEachEndpointWithItsOptionsSecretsMaskedAndItsFigures() throws Exception {
        emulator.publish(topic, "hello");
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=console&delay=50&initialDelay=0"
                     + "&stringToken=RAW(rt-ConsoleRoleKey)").routeId("receive").to("direct:nowhere");
                from("direct:nowhere").routeId("nowhere").log("${body}");
            }
        });
        TdmqHttpConsumer consumer = consumerOf(context, "receive");
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer.getAcknowledgedCount() == 1);

        DevConsole console = PluginHelper.getDevConsoleResolver(context).resolveDevConsole("tdmq-http");
        assertThat(console).isInstanceOf(TdmqHttpDevConsole.class);
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);

        assertThat(text).contains("tdmq-http:" + topic).contains("subscription=console")
                .contains("secretKey=xxxxxx").contains("stringToken=xxxxxx").contains("consumer of route receive")
                .contains("received=1").contains("acknowledged=1").contains("AcknowledgeMessage: 1 calls");
        for (String output : List.of(text, json.toString())) {
            assertThat(output).doesNotContain(emulator.get().secretKey()).doesNotContain("rt-ConsoleRoleKey");
        }
        String jsonText = org.apache.camel.util.json.Jsoner.serialize(json);
        assertThat(jsonText).contains("\"received\":1").contains("\"role\":\"consumer\"")
                .contains("\"routeId\":\"receive\"").contains("\"p99Millis\"");
    }

    @Test
    void theHealthCheckSaysWhyTheConsumerIsDownAndWhenItLastPolled() throws Exception {
        CamelContext context = start(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&subscription=health&delay=50&initialDelay=0")
                        .routeId("health").log("${body}");
            }
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> Health.consumerState(context, "health")
                                                          == HealthCheck.State.UP
                                                          && Health.consumer(context, "health").orElseThrow()
                                                                  .getDetails()
                                                                  .containsKey("tdmq.last.successful.poll"));

        emulator.faults().add(FaultRule.errorCode("ResourceUnavailable", "The cluster is being upgraded")
                .forAction("ReceiveMessage"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> Health.consumerState(context, "health")
                                                          == HealthCheck.State.DOWN);
        await().atMost(10, TimeUnit.SECONDS).until(() -> (long) Health.consumer(context, "health").orElseThrow()
                .getDetails().getOrDefault("tdmq.consecutive.failures", 0L) >= 2);
        Map<String, Object> down = Health.consumer(context, "health").orElseThrow().getDetails();
        assertThat(down).containsEntry("tdmq.error.code", "ResourceUnavailable")
                .containsKeys("tdmq.error.message", "tdmq.failing.since", "tdmq.last.successful.poll");
        assertThat((String) down.get("tdmq.error.message")).contains("The cluster is being upgraded");
        assertThat(consumerOf(context, "health").getLastPollErrorCode()).isEqualTo("ResourceUnavailable");

        emulator.faults().clear();
        await().atMost(10, TimeUnit.SECONDS).until(() -> Health.consumerState(context, "health")
                                                          == HealthCheck.State.UP);
        Map<String, Object> up = Health.consumer(context, "health").orElseThrow().getDetails();
        assertThat(up).containsKey("tdmq.last.successful.poll").doesNotContainKey("tdmq.error.code");
        assertThat(consumerOf(context, "health").getConsecutivePollFailures()).isZero();
    }

    @Test
    void aFigureThatFailsNeverReachesTheMessagePath() {
        TdmqHttpEndpoint endpoint = new TdmqHttpEndpoint("tdmq-http:a/b/c", new TdmqHttpComponent(),
                new TdmqHttpConfiguration());
        endpoint.getConfiguration().setTopic("a/b/c");
        TdmqHttpMetrics metrics = new TdmqHttpMetrics(TdmqHttpMetrics.Role.producer, endpoint.getEndpointKey(), endpoint.getConfiguration(), action -> {
            throw new IllegalStateException("no rate");
        });
        metrics.listener((action, nanos, failed) -> {
            throw new IllegalStateException("a broken registry");
        });

        assertThat(metrics.call(TdmqHttpActions.SEND_MESSAGES, () -> "sent")).isEqualTo("sent");
        assertThat(metrics.calls(TdmqHttpActions.SEND_MESSAGES).count()).isEqualTo(1);
        assertThat(metrics.currentRate(TdmqHttpActions.SEND_MESSAGES)).isNaN();
    }

    @Test
    void percentilesAreReadFromTheHistogramWithinAQuarter() {
        TdmqHttpMetrics.CallFigures figures = new TdmqHttpMetrics.CallFigures();
        for (int millis = 1; millis <= 100; millis++) {
            figures.record(TimeUnit.MILLISECONDS.toNanos(millis), false);
        }

        assertThat(figures.count()).isEqualTo(100);
        assertThat(figures.meanMillis()).isEqualTo(50.5);
        assertThat(figures.maxMillis()).isEqualTo(100.0);
        assertThat(figures.percentileMillis(0.5)).isBetween(50.0, 50.0 * 1.25);
        assertThat(figures.percentileMillis(0.99)).isBetween(99.0, 100.0);
        assertThat(figures.percentileMillis(0.01)).isBetween(1.0, 1.25);
    }
}
