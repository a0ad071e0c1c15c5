package io.github.tdmqhttp.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer when things go wrong: the server failing for a while, the application stopping in the middle of a
 * batch, several applications on one subscription. Nothing is lost, nothing unprocessed is acknowledged.
 */
class TdmqHttpConsumerResilienceTest {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);
    /** How long the server fails in the fault test; the issue asks for 30 s. */
    private static final Duration FAULT_WINDOW = Duration.ofSeconds(Long.getLong("tdmq.test.faultSeconds", 30));

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            .ackTimeout(ACK_TIMEOUT).receiveWait(Duration.ofMillis(200)));

    private final List<CamelContext> contexts = new ArrayList<>();
    private String topic;

    @BeforeEach
    void nameTheTopicAfterTheTest(TestInfo test) {
        topic = "pulsar-resilience/ns/" + test.getTestMethod().orElseThrow().getName();
        emulator.broker().createTopic(topic, 1);
    }

    @org.junit.jupiter.api.AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    private CamelContext start(String routeId, String options, org.apache.camel.Processor processor) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getShutdownStrategy().setTimeout(20);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(emulator.camelUri(topic) + "&" + options).routeId(routeId).process(processor);
            }
        });
        contexts.add(context);
        context.start();
        return context;
    }

    private SubscriptionStats stats(String subscription) {
        return emulator.broker().subscriptionStats(topic, subscription);
    }

    private List<String> publish(String prefix, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add(prefix + i);
            emulator.broker().publish(topic, prefix + i);
        }
        return payloads;
    }

    @Test
    void afterAWindowOfServerErrorsAndResetsTheConsumerBacksOffGoesDownRecoversAndDrains() throws Exception {
        List<String> payloads = publish("survivor-", 50);
        emulator.faults().add(FaultRule.badGatewayHtml().forAction("ReceiveMessage").rate(0.5));
        emulator.faults().add(FaultRule.connectionReset().forAction("ReceiveMessage"));
        Set<String> processed = ConcurrentHashMap.newKeySet();

        CamelContext context = start("faulty", "subscription=faults&initialDelay=0&delay=100&backoffErrorThreshold=3"
                                               + "&backoffMultiplier=10",
                exchange -> processed.add(exchange.getMessage().getBody(String.class)));
        Health.enableConsumerChecks(context);
        long receivesBefore = emulator.get().requestStats().get("ReceiveMessage").requests();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try {
            CountDownLatch faultsCleared = new CountDownLatch(1);
            clock.schedule(() -> {
                emulator.faults().clear();
                faultsCleared.countDown();
            }, FAULT_WINDOW.toMillis(), TimeUnit.MILLISECONDS);

            await().atMost(FAULT_WINDOW).until(() -> Health.consumerState(context, "faulty") == HealthCheck.State.DOWN);
            assertThat(faultsCleared.await(FAULT_WINDOW.toSeconds() + 5, TimeUnit.SECONDS)).isTrue();
            long receivesDuringFaults = emulator.get().requestStats().get("ReceiveMessage").requests() - receivesBefore;
            // Without backoff a poll every 100 ms would make about ten per second of the window.
            assertThat(receivesDuringFaults).isLessThan(FAULT_WINDOW.toSeconds() * 5);
            assertThat(processed).isEmpty();

            await().atMost(20, TimeUnit.SECONDS).until(() -> Health.consumerState(context, "faulty") == HealthCheck.State.UP);
            await().atMost(30, TimeUnit.SECONDS).until(() -> processed.size() == 50);
            await().atMost(10, TimeUnit.SECONDS).until(() -> stats("faults").acked() == 50);
        } finally {
            clock.shutdownNow();
        }
        assertThat(processed).containsExactlyInAnyOrderElementsOf(payloads);
        assertThat(stats("faults").backlog()).isZero();
    }

    @Test
    void stoppingInTheMiddleOfABatchLosesNothingAndAcknowledgesOnlyWhatWasProcessed() throws Exception {
        List<String> payloads = publish("batch-", 20);
        List<String> processedFirst = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch sixthStarted = new CountDownLatch(1);
        CountDownLatch letItFinish = new CountDownLatch(1);

        CamelContext first = start("first", "subscription=shutdown&initialDelay=0&maxMessagesPerPoll=20"
                                            + "&batchReceiveTimeout=1000", exchange -> {
                    String body = exchange.getMessage().getBody(String.class);
                    if (body.equals("batch-5")) {
                        sixthStarted.countDown();
                        letItFinish.await(20, TimeUnit.SECONDS);
                    }
                    processedFirst.add(body);
                });
        assertThat(sixthStarted.await(20, TimeUnit.SECONDS)).isTrue();
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) first.getRoute("first").getConsumer();
        // From now on every answer takes 2 s: stopping has to wait for the last acknowledgement to come back.
        emulator.faults().latency(Duration.ofSeconds(2), Duration.ZERO);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(first::stop);
        await().atMost(10, TimeUnit.SECONDS).until(first::isStopping);
        letItFinish.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        emulator.faults().clear();

        assertThat(processedFirst).containsExactly("batch-0", "batch-1", "batch-2", "batch-3", "batch-4", "batch-5");
        assertThat(consumer.getAcknowledgedCount()).as("acknowledgements answered before stop returned").isEqualTo(6);
        assertThat(consumer.getAckFailureCount()).isZero();
        assertThat(stats("shutdown").acked()).as("acked when the context has stopped").isEqualTo(6);
        assertThat(stats("shutdown").backlog()).as("left for redelivery").isEqualTo(14);

        Set<String> processedSecond = ConcurrentHashMap.newKeySet();
        start("second", "subscription=shutdown&initialDelay=0",
                exchange -> processedSecond.add(exchange.getMessage().getBody(String.class)));
        await().atMost(ACK_TIMEOUT.plusSeconds(20)).until(() -> processedSecond.size() == 14);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("shutdown").acked() == 20);

        assertThat(processedSecond).containsExactlyInAnyOrderElementsOf(payloads.subList(6, 20));
        assertThat(stats("shutdown").backlog()).isZero();
        assertThat(stats("shutdown").duplicateAcks()).isZero();
    }

    @Test
    void twoCamelContextsOnOneSubscriptionShareTheMessagesAndNoneIsProcessedTwice() throws Exception {
        List<String> payloads = publish("shared-", 200);
        Map<String, String> processedBy = new ConcurrentHashMap<>();
        Map<String, Integer> times = new ConcurrentHashMap<>();
        CountDownLatch bothBusy = new CountDownLatch(2);

        for (String name : List.of("app-a", "app-b")) {
            CountDownLatch firstOfThisApp = new CountDownLatch(1);
            start(name, "subscription=shared&initialDelay=0&delay=20&maxMessagesPerPoll=10", exchange -> {
                if (firstOfThisApp.getCount() > 0) {
                    firstOfThisApp.countDown();
                    bothBusy.countDown();
                    // Hold this application's first message until the other one has received too.
                    bothBusy.await(20, TimeUnit.SECONDS);
                }
                String body = exchange.getMessage().getBody(String.class);
                processedBy.put(body, name);
                times.merge(body, 1, Integer::sum);
            });
        }

        await().atMost(30, TimeUnit.SECONDS).until(() -> processedBy.size() == 200);
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats("shared").acked() == 200);
        assertThat(processedBy.keySet()).containsExactlyInAnyOrderElementsOf(payloads);
        assertThat(times.values()).allMatch(count -> count == 1);
        assertThat(processedBy.values()).contains("app-a", "app-b");
        assertThat(stats("shared").redelivered()).isZero();
    }
}
