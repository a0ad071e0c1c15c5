package io.github.tdmqhttp.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.camel.TdmqHttpPartialSendException;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The component's promises, shown with figures against the emulator: at-least-once under stress, recovery from an
 * outage, throttling absorbed, shutdown under load. The default build runs a short version of each; {@code -Pfull}
 * runs the long one. The bad input and secrets scenarios have classes of their own; {@link SummaryListener} prints
 * the figures of all of them when the run ends and writes them to target/reliability-report.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilitySuiteTest {

    static final int MESSAGES = Integer.getInteger("reliability.messages", 1000);
    static final int OUTAGE_SECONDS = Integer.getInteger("reliability.outageSeconds", 6);
    static final int QUOTA = Integer.getInteger("reliability.quota", 300);
    static final int THROTTLE_MESSAGES = Integer.getInteger("reliability.throttleMessages", 1200);
    static final int SHUTDOWN_MESSAGES = Integer.getInteger("reliability.shutdownMessages", 600);

    /** Counts successful processing per payload, and refuses the first attempt of a share of them. */
    static final class Processing {

        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
        final AtomicLong failedFirstAttempts = new AtomicLong();
        private final double firstAttemptFailures;

        Processing(double firstAttemptFailures) {
            this.firstAttemptFailures = firstAttemptFailures;
        }

        void process(Exchange exchange) {
            String body = exchange.getMessage().getBody(String.class);
            int attempt = attempts.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
            if (attempt == 1 && ThreadLocalRandom.current().nextDouble() < firstAttemptFailures) {
                failedFirstAttempts.incrementAndGet();
                throw new IllegalStateException("the route fails the first attempt of " + body);
            }
            successes.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
        }

        long lost(List<String> payloads) {
            return payloads.stream().filter(payload -> !successes.containsKey(payload)).count();
        }

        long duplicates() {
            return successes.values().stream().mapToLong(count -> count.get() - 1L).sum();
        }

        boolean processedAll(List<String> payloads) {
            return successes.keySet().containsAll(payloads);
        }
    }

    /** Sends the payloads as collection bodies, and sends again only the elements a partial failure names. */
    static void sendAll(ProducerTemplate template, String endpoint, List<String> payloads, int batch) {
        for (int from = 0; from < payloads.size(); from += batch) {
            List<String> pending = new ArrayList<>(payloads.subList(from, Math.min(payloads.size(), from + batch)));
            for (int round = 0; !pending.isEmpty() && round < 50; round++) {
                try {
                    template.sendBody(endpoint, pending);
                    pending.clear();
                } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof TdmqHttpPartialSendException partial)) {
                        throw e;
                    }
                    List<String> failed = new ArrayList<>();
                    for (int index : partial.getFailedIndexes()) {
                        failed.add(pending.get(index));
                    }
                    pending = failed;
                }
            }
            assertThat(pending).as("elements still unsent after 50 rounds").isEmpty();
        }
    }

    static void injectFaultsOnEveryAction(TdmqEmulator emulator) {
        // About 5% of the calls of every action: an error code, a 502 page, or an answer lost after the work was done.
        emulator.faults().add(FaultRule.errorCode("InternalError", "injected").rate(0.02));
        emulator.faults().add(FaultRule.badGatewayHtml().rate(0.015));
        emulator.faults().add(FaultRule.connectionReset().afterProcessing().rate(0.015));
    }

    @Test
    @Order(1)
    void atLeastOnceUnderStress() throws Exception {
        String topic = "pulsar-reliability/ns/stress";
        List<String> payloads = Rig.payloads("stress", MESSAGES);
        Processing processing = new Processing(0.2);
        long started = System.nanoTime();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext producer = Rig.camel(emulator, "producer");
             CamelContext first = Rig.camel(emulator, "consumer-1");
             CamelContext second = Rig.camel(emulator, "consumer-2")) {
            injectFaultsOnEveryAction(emulator);
            for (CamelContext consumer : List.of(first, second)) {
                consumer.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("tdmq-http:" + topic + "?subscription=stress&initialDelay=0&delay=50")
                                .process(processing::process);
                    }
                });
                consumer.start();
            }
            producer.start();
            sendAll(producer.createProducerTemplate(), "tdmq-http:" + topic, payloads, 100);

            await().atMost(Duration.ofMinutes(MESSAGES / 1000 + 3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> processing.processedAll(payloads)
                                 && Rig.subscription(emulator, topic, "stress").backlog() == 0);
            SubscriptionStats stats = Rig.subscription(emulator, topic, "stress");
            long stored = Rig.stored(emulator, topic);
            Figures.add(new Figures.Row("1. At-least-once: 2 contexts, 20% of first attempts fail, ~5% faults on"
                                        + " every action", MESSAGES, processing.lost(payloads),
                    processing.duplicates(), "—",
                    String.format("%d stored (%d by lost answers), %d acked, backlog %d, %d redelivered, %.0f s",
                            stored, stored - MESSAGES, stats.acked(), stats.backlog(), stats.redelivered(),
                            (System.nanoTime() - started) / 1e9)));

            assertThat(processing.lost(payloads)).isZero();
            assertThat(stats.backlog()).isZero();
            assertThat(stats.acked()).isEqualTo(stored);
            assertThat(processing.failedFirstAttempts.get()).isPositive();
        }
    }

    @Test
    @Order(2)
    void anOutageIsRiddenOutByProducerAndConsumer() throws Exception {
        String topic = "pulsar-reliability/ns/outage";
        int rate = 40;
        int count = rate * (OUTAGE_SECONDS + 8);
        List<String> payloads = Rig.payloads("outage", count);
        Processing processing = new Processing(0);
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        List<Long> processedAt = new CopyOnWriteArrayList<>();
        List<HealthCheck.State> consumerStates = new CopyOnWriteArrayList<>();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext producer = Rig.camel(emulator, "producer");
             CamelContext consumer = Rig.camel(emulator, "consumer")) {
            producer.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // Longer than the component's own retries: the route redelivers what still failed.
                    onException(TdmqHttpException.class)
                            .onWhen(exchange -> exchange.getException(TdmqHttpException.class).isRetryable())
                            .maximumRedeliveries(600).redeliveryDelay(250).useExponentialBackOff()
                            .maximumRedeliveryDelay(2000);
                    from("seda:stream?size=100000").to("tdmq-http:" + topic)
                            .process(exchange -> sentAt.add(System.nanoTime()));
                }
            });
            consumer.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=outage&initialDelay=0&delay=100"
                         + "&backoffErrorThreshold=3&backoffMultiplier=5").routeId("outage-consumer")
                            .process(exchange -> {
                                processing.process(exchange);
                                processedAt.add(System.nanoTime());
                            });
                }
            });
            producer.start();
            consumer.start();
            Rig.enableHealth(consumer);
            ProducerTemplate template = producer.createProducerTemplate();
            long outageStart = 0;
            for (int i = 0; i < count; i++) {
                if (i == rate * 3) {
                    outageStart = System.nanoTime();
                    emulator.refuseConnections(Duration.ofSeconds(OUTAGE_SECONDS));
                }
                template.sendBody("seda:stream", payloads.get(i));
                consumerStates.add(Rig.consumerHealth(consumer, "outage-consumer"));
                TimeUnit.MILLISECONDS.sleep(1000 / rate);
            }
            long outageEnd = outageStart + TimeUnit.SECONDS.toNanos(OUTAGE_SECONDS);
            await().atMost(Duration.ofSeconds(OUTAGE_SECONDS + 90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> processing.processedAll(payloads)
                                 && Rig.subscription(emulator, topic, "outage").backlog() == 0);
            HealthCheck.State finalState = Rig.consumerHealth(consumer, "outage-consumer");
            double producerRecovery = secondsAfter(outageEnd, sentAt);
            double consumerRecovery = secondsAfter(outageEnd, processedAt);
            Figures.add(new Figures.Row("2. Outage: connections refused for " + OUTAGE_SECONDS + " s mid-stream",
                    count, processing.lost(payloads), processing.duplicates(),
                    String.format("producer %.1f s, consumer %.1f s", producerRecovery, consumerRecovery),
                    "consumer health " + (consumerStates.contains(HealthCheck.State.DOWN) ? "went DOWN" : "stayed UP")
                    + ", then " + finalState));

            assertThat(processing.lost(payloads)).isZero();
            assertThat(consumerStates).contains(HealthCheck.State.DOWN);
            assertThat(finalState).isEqualTo(HealthCheck.State.UP);
        }
    }

    /** Seconds from the end of the fault to the first success after it. */
    private static double secondsAfter(long faultEnd, List<Long> successes) {
        return successes.stream().filter(at -> at >= faultEnd).min(Long::compare)
                .map(at -> (at - faultEnd) / 1e9).orElse(Double.NaN);
    }

    @Test
    @Order(3)
    void throttlingAboveTheQuotaIsAbsorbedByBackoffAndRetries() throws Exception {
        String topic = "pulsar-reliability/ns/throttled";
        List<String> payloads = Rig.payloads("throttled", THROTTLE_MESSAGES);
        Processing processing = new Processing(0);
        AtomicLong failuresReachingRoutes = new AtomicLong();
        long started = System.nanoTime();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext producerA = Rig.camel(emulator, "producer-a");
             CamelContext producerB = Rig.camel(emulator, "producer-b");
             CamelContext consumer = Rig.camel(emulator, "consumer")) {
            emulator.settings().rateLimit(QUOTA);
            // Two applications that each keep to 1000 calls a second: together they go over the account's quota.
            for (CamelContext producer : List.of(producerA, producerB)) {
                producer.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        onException(Exception.class).process(exchange -> failuresReachingRoutes.incrementAndGet());
                        from("direct:send").to("tdmq-http:" + topic);
                    }
                });
                producer.start();
            }
            consumer.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).process(exchange -> failuresReachingRoutes.incrementAndGet());
                    from("tdmq-http:" + topic + "?subscription=throttled&initialDelay=0&delay=50")
                            .process(processing::process);
                }
            });
            consumer.start();
            int half = payloads.size() / 2;
            Thread second = new Thread(() -> sendAll(producerB.createProducerTemplate(), "direct:send",
                    payloads.subList(half, payloads.size()), 200));
            second.start();
            sendAll(producerA.createProducerTemplate(), "direct:send", payloads.subList(0, half), 200);
            second.join(TimeUnit.MINUTES.toMillis(10));

            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> processing.processedAll(payloads)
                                 && Rig.subscription(emulator, topic, "throttled").backlog() == 0);
            long throttled = emulator.requestStats().values().stream().mapToLong(stats -> stats.throttled()).sum();
            double seconds = (System.nanoTime() - started) / 1e9;
            Figures.add(new Figures.Row("3. Throttling: quota " + QUOTA + "/s, two producers at up to 1000/s each",
                    payloads.size(), processing.lost(payloads), processing.duplicates(), "—",
                    String.format("%d calls throttled, %d failures reached a route, %.0f msg/s end to end",
                            throttled, failuresReachingRoutes.get(), payloads.size() / seconds)));

            assertThat(throttled).as("calls throttled: the load went over the quota").isPositive();
            assertThat(failuresReachingRoutes.get()).isZero();
            assertThat(processing.lost(payloads)).isZero();
        }
    }

    @Test
    @Order(4)
    void stoppingUnderLoadLosesNothingAndARestartProcessesTheRest() throws Exception {
        String topic = "pulsar-reliability/ns/restart";
        List<String> payloads = Rig.payloads("restart", SHUTDOWN_MESSAGES);
        Processing processing = new Processing(0);
        Set<String> processedBeforeStop = ConcurrentHashMap.newKeySet();
        AtomicBoolean producing = new AtomicBoolean(true);
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext producer = Rig.camel(emulator, "producer")) {
            producer.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").to("tdmq-http:" + topic);
                }
            });
            producer.start();
            RouteBuilder consuming = new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=restart&initialDelay=0&delay=20&maxMessagesPerPoll=16")
                            .process(exchange -> {
                                // Work that takes a moment, so that stopping finds exchanges in flight.
                                TimeUnit.MILLISECONDS.sleep(2);
                                processing.process(exchange);
                            });
                }
            };
            Thread feeder = new Thread(() -> {
                ProducerTemplate template = producer.createProducerTemplate();
                for (int from = 0; from < payloads.size() && producing.get(); from += 20) {
                    sendAll(template, "direct:send", payloads.subList(from, Math.min(payloads.size(), from + 20)), 20);
                }
            });
            CamelContext firstRun = Rig.camel(emulator, "consumer-first-run");
            firstRun.addRoutes(consuming);
            firstRun.start();
            feeder.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> processing.successes.size() >= payloads.size() / 3);
            long stopStarted = System.nanoTime();
            firstRun.stop();
            double stopSeconds = (System.nanoTime() - stopStarted) / 1e9;
            processedBeforeStop.addAll(processing.successes.keySet());
            long ackedAtStop = Rig.subscription(emulator, topic, "restart").acked();

            CamelContext secondRun = Rig.camel(emulator, "consumer-second-run");
            long restarted = System.nanoTime();
            secondRun.addRoutes(consuming);
            secondRun.start();
            feeder.join(TimeUnit.MINUTES.toMillis(5));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> processing.processedAll(payloads)
                                 && Rig.subscription(emulator, topic, "restart").backlog() == 0);
            secondRun.stop();
            Figures.add(new Figures.Row("6. Shutdown under load, then a restart", payloads.size(),
                    processing.lost(payloads), processing.duplicates(),
                    String.format("%.1f s to stop", stopSeconds),
                    String.format("%d processed and %d acked when the first run stopped; the rest after the restart"
                                  + " (%.0f s)", processedBeforeStop.size(), ackedAtStop,
                            (System.nanoTime() - restarted) / 1e9)));

            assertThat(ackedAtStop).as("acknowledged when the first run stopped, at most what it processed")
                    .isLessThanOrEqualTo(processedBeforeStop.size());
            assertThat(processing.lost(payloads)).isZero();
            assertThat(Rig.subscription(emulator, topic, "restart").backlog()).isZero();
        } finally {
            producing.set(false);
        }
    }
}
