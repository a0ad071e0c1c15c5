package io.github.tdmqhttp.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.tdmqhttp.camel.TdmqHttpConsumer;
import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against hostile messages and timings, with figures: poison messages, a payload holding the batch
 * separator, batches that outlive the ack timeout, a poll larger than the heap, and a long outage. Short in every
 * build; {@code -Pfull} runs the sizes the README quotes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerSafetyTest {

    static final int POISON_MESSAGES = Integer.getInteger("reliability.poisonMessages", 300);
    static final int POISON_FAILING = Integer.getInteger("reliability.poisonFailing", 3);
    static final int LARGE_MESSAGES = Integer.getInteger("reliability.largeMessages", 600);
    static final int QUIET_OUTAGE_SECONDS = Integer.getInteger("reliability.quietOutageSeconds", 10);
    private static final String ACK_TIMEOUT = "ackTimeout=" + Rig.ACK_TIMEOUT.toMillis();

    @Test
    @Order(1)
    void poisonMessagesEndInTheDeadLetterTopicAfterMaxDeliveries() throws Exception {
        String topic = "pulsar-reliability/ns/poison";
        String deadLetterTopic = topic + "-poison-DLQ";
        List<String> payloads = Rig.payloads("poison", POISON_MESSAGES);
        Set<String> failing = Set.copyOf(payloads.subList(0, POISON_FAILING));
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        List<String> deadLettered = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try (TdmqEmulator emulator = Rig.emulator(topic, deadLetterTopic);
             CamelContext camel = Rig.camel(emulator, "poison")) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=poison&maxDeliveries=3&initialDelay=0&delay=50&"
                         + ACK_TIMEOUT).routeId("poison").process(exchange -> {
                             String body = exchange.getMessage().getBody(String.class);
                             attempts.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
                             if (failing.contains(body)) {
                                 throw new IllegalStateException("the route cannot process " + body);
                             }
                             processed.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
                         });
                    from("tdmq-http:" + deadLetterTopic + "?subscription=inspect&initialDelay=0&delay=50")
                            .process(exchange -> deadLettered.add(exchange.getMessage().getBody(String.class)));
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            for (int from = 0; from < payloads.size(); from += 100) {
                template.sendBody("tdmq-http:" + topic, payloads.subList(from, Math.min(payloads.size(), from + 100)));
            }

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(
                    () -> deadLettered.size() >= POISON_FAILING && processed.size() == POISON_MESSAGES - POISON_FAILING
                          && Rig.subscription(emulator, topic, "poison").backlog() == 0
                          && Rig.subscription(emulator, topic, "poison").inFlight() == 0);
            SubscriptionStats stats = Rig.subscription(emulator, topic, "poison");
            long processedOnce = processed.values().stream().filter(count -> count.get() == 1).count();
            long lost = payloads.stream().filter(p -> !processed.containsKey(p) && !deadLettered.contains(p)).count();
            Figures.add(new Figures.Row("7. Poison messages: " + POISON_FAILING + " always fail, maxDeliveries=3",
                    POISON_MESSAGES, lost, processed.values().stream().mapToLong(count -> count.get() - 1L).sum(), "—",
                    String.format("%d processed once, %d in the dead letter topic after %s attempts each, %d left on"
                                  + " the subscription, %.0f s", processedOnce, deadLettered.size(),
                            failing.stream().map(p -> String.valueOf(attempts.get(p).get())).distinct().toList(),
                            stats.backlog() + stats.inFlight(), (System.nanoTime() - started) / 1e9)));

            assertThat(processedOnce).isEqualTo(POISON_MESSAGES - POISON_FAILING);
            assertThat(deadLettered).containsExactlyInAnyOrderElementsOf(failing);
            assertThat(failing).allSatisfy(payload -> assertThat(attempts.get(payload)).hasValue(3));
            assertThat(lost).isZero();
            assertThat(stats.backlog() + stats.inFlight()).isZero();
        }
    }

    @Test
    @Order(2)
    void aPayloadHoldingTheSeparatorDoesNotHoldItsNeighboursBack() throws Exception {
        String topic = "pulsar-reliability/ns/separator";
        List<String> payloads = new ArrayList<>(Rig.payloads("neighbour", 19));
        String poisoned = "a payload with ### inside, ending with #";
        payloads.add(7, poisoned);
        Map<String, Long> processedAt = new ConcurrentHashMap<>();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext camel = Rig.camel(emulator, "separator")) {
            payloads.forEach(payload -> emulator.publish(topic, payload));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // The defaults, but for the emulator's ack timeout.
                    from("tdmq-http:" + topic + "?subscription=separator&" + ACK_TIMEOUT).routeId("separator")
                            .process(exchange -> processedAt.putIfAbsent(exchange.getMessage().getBody(String.class),
                                    System.nanoTime()));
                }
            });
            long started = System.nanoTime();
            camel.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> processedAt.size() == payloads.size());
            long lastNeighbour = payloads.stream().filter(p -> !p.equals(poisoned)).mapToLong(processedAt::get)
                    .max().orElseThrow() - started;
            double ackTimeouts = (double) lastNeighbour / Rig.ACK_TIMEOUT.toNanos();
            TdmqHttpConsumer consumer = (TdmqHttpConsumer) camel.getRoute("separator").getConsumer();
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> Rig.subscription(emulator, topic, "separator").acked() == payloads.size());
            Figures.add(new Figures.Row("8. A payload holding ### among 20, default options", payloads.size(),
                    payloads.size() - processedAt.size(), 0, String.format("%.1f ack timeouts", ackTimeouts),
                    String.format("the 19 others processed within %.1f ack timeouts (initial delay included), the"
                                  + " poisoned one delivered intact; %d batch(es) received one by one",
                            ackTimeouts, consumer.getUnpairedBatchCount())));

            assertThat(processedAt).containsKey(poisoned);
            assertThat(ackTimeouts).as("ack timeouts until the last neighbour").isLessThan(2.0 + 0.5);
        }
    }

    @Test
    @Order(3)
    void noMessageIsProcessedTwiceAtOnceWhenBatchesOutliveTheAckTimeout() throws Exception {
        String topic = "pulsar-reliability/ns/deadline";
        int messages = 20;
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        AtomicInteger atTheSameMoment = new AtomicInteger();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext camel = Rig.camel(emulator, "deadline")) {
            Rig.payloads("slow", messages).forEach(payload -> emulator.publish(topic, payload));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=deadline&concurrentConsumers=2&maxMessagesPerPoll=20"
                         + "&initialDelay=0&" + ACK_TIMEOUT).routeId("deadline").process(exchange -> {
                             String body = exchange.getMessage().getBody(String.class);
                             if (running.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet() > 1) {
                                 atTheSameMoment.incrementAndGet();
                             }
                         })
                            // The route's work: 0.4 s per message.
                            .delay(400).syncDelayed()
                            .process(exchange -> {
                                String body = exchange.getMessage().getBody(String.class);
                                running.get(body).decrementAndGet();
                                completed.computeIfAbsent(body, any -> new AtomicInteger()).incrementAndGet();
                            });
                }
            });
            camel.start();

            await().atMost(Duration.ofSeconds(90)).until(() -> completed.size() == messages
                    && Rig.subscription(emulator, topic, "deadline").acked() == messages);
            TdmqHttpConsumer consumer = (TdmqHttpConsumer) camel.getRoute("deadline").getConsumer();
            long twice = completed.values().stream().mapToLong(count -> count.get() - 1L).sum();
            Figures.add(new Figures.Row("9. Batches longer than the ack timeout: 2 s ack timeout, 2 pollers, 20 per"
                                        + " poll, 0.4 s route", messages, messages - completed.size(), twice, "—",
                    String.format("%d processed twice at the same moment, %d skipped as too close to their deadline,"
                                  + " batches shrunk to %d", atTheSameMoment.get(),
                            consumer.getSkippedPastDeadlineCount(), consumer.getCurrentBatchSize())));

            assertThat(atTheSameMoment).hasValue(0);
        }
    }

    @Test
    @Order(4)
    void aPollOfLargeMessagesStaysWithinASmallHeap() throws Exception {
        String topic = "pulsar-reliability/ns/large";
        String payload = "x".repeat(100 * 1024);
        try (TdmqEmulator emulator = Rig.emulator(topic)) {
            for (int i = 0; i < LARGE_MESSAGES; i++) {
                emulator.publish(topic, i + payload.substring(String.valueOf(i).length()));
            }
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path output = Files.createTempFile("large-consumer", ".log");
            long started = System.nanoTime();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", classpath, SmallHeapConsumer.class.getName(),
                    emulator.endpoint(), emulator.secretId(), emulator.secretKey(), topic,
                    String.valueOf(LARGE_MESSAGES))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = child.waitFor(4, TimeUnit.MINUTES);
            if (!ended) {
                child.destroyForcibly();
            }
            List<String> childOutput = Files.readAllLines(output);
            Files.delete(output);
            SubscriptionStats stats = Rig.subscription(emulator, topic, "large");
            Figures.add(new Figures.Row("10. maxMessagesPerPoll=1000, 100 KB messages, -Xmx256m", LARGE_MESSAGES,
                    LARGE_MESSAGES - stats.acked(), 0, "—",
                    String.format("exit %s, %d acked, %s, %.0f s", ended ? child.exitValue() : "none (killed)",
                            stats.acked(), childOutput.stream().filter(line -> line.startsWith("heap"))
                                    .findFirst().orElse("no heap figure"), (System.nanoTime() - started) / 1e9)));

            assertThat(ended).as("the consumer process ended").isTrue();
            assertThat(childOutput).noneMatch(line -> line.contains("OutOfMemoryError"));
            assertThat(child.exitValue()).as(String.join("\n", childOutput)).isZero();
            assertThat(stats.acked()).isEqualTo(LARGE_MESSAGES);
        }
    }

    @Test
    @Order(5)
    void aLongOutageWritesAFewLinesAndTheConsumerIsBackSoonAfter() throws Exception {
        String topic = "pulsar-reliability/ns/quiet";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        List<Long> processedAt = new CopyOnWriteArrayList<>();
        AtomicLong refusedSends = new AtomicLong();
        AtomicInteger sends = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext camel = Rig.camel(emulator, "quiet")) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=quiet&initialDelay=0&" + ACK_TIMEOUT).routeId("quiet")
                            .process(exchange -> processedAt.add(System.nanoTime()));
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            template.sendBody("tdmq-http:" + topic, "before");
            await().atMost(Duration.ofSeconds(10)).until(() -> processedAt.size() == 1);

            // The application sends one message a second from a timer during the outage and handles the failures
            // itself; the route is there before the log is counted, and idle until the outage starts.
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:during-the-outage?period=1000").process(exchange -> {
                        if (!sending.get()) {
                            return;
                        }
                        try {
                            template.sendBody("tdmq-http:" + topic, "during " + sends.incrementAndGet());
                        } catch (RuntimeException e) {
                            refusedSends.incrementAndGet();
                        }
                    });
                }
            });
            root.addAppender(lines);
            emulator.refuseConnections(Duration.ofSeconds(QUIET_OUTAGE_SECONDS));
            sending.set(true);
            await().atMost(Duration.ofSeconds(QUIET_OUTAGE_SECONDS + 60))
                    .until(() -> sends.get() >= QUIET_OUTAGE_SECONDS);
            sending.set(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> !emulator.isRefusingConnections());
            long back = System.nanoTime();
            template.sendBody("tdmq-http:" + topic, "after");
            await().atMost(Duration.ofSeconds(30)).until(() -> processedAt.stream().anyMatch(at -> at > back));
            double resumed = (processedAt.stream().filter(at -> at > back).min(Long::compare).orElseThrow() - back)
                             / 1e9;
            root.detachAppender(lines);
            long written = lines.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
                    .count();
            Figures.add(new Figures.Row("11. A " + QUIET_OUTAGE_SECONDS + " s outage, one consumer and one producer"
                                        + " sending every second, logging at INFO", processedAt.size(), 0, 0,
                    String.format("consumer %.1f s", resumed),
                    String.format("%d log lines in all (%d sends refused to the application), no stack trace",
                            written, refusedSends.get())));

            assertThat(written).as("lines logged during the outage").isLessThanOrEqualTo(30);
            assertThat(lines.list).noneMatch(event -> event.getThrowableProxy() != null
                                                      && event.getLevel().isGreaterOrEqual(Level.INFO));
            assertThat(resumed).as("seconds until the consumer is back").isLessThan(5.0);
        } finally {
            root.detachAppender(lines);
        }
    }

    /** A consumer in a JVM of its own with a 256 MB heap: receives every message of a topic, then exits 0. */
    public static final class SmallHeapConsumer {

        public static void main(String[] args) throws Exception {
            String endpoint = args[0];
            String topic = args[3];
            int expected = Integer.parseInt(args[4]);
            java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(expected);
            try (CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
                camel.addComponent("tdmq-http", EmulatedTdmqHttp.component(endpoint, "ap-guangzhou", args[1], args[2]));
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("tdmq-http:" + topic + "?subscription=large&maxMessagesPerPoll=1000&initialDelay=0&"
                             + ACK_TIMEOUT).process(exchange -> received.countDown());
                    }
                });
                camel.start();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                long peak = 0;
                boolean all = false;
                // Samples the heap in use every 100 ms until every message arrived, for at most 3 minutes.
                while (!all && System.nanoTime() < deadline) {
                    all = received.await(100, TimeUnit.MILLISECONDS);
                    Runtime runtime = Runtime.getRuntime();
                    peak = Math.max(peak, runtime.totalMemory() - runtime.freeMemory());
                }
                // Stopping sends the acknowledgements still travelling.
                camel.stop();
                System.out.println("heap peak " + peak / (1024 * 1024) + " MB of " + Runtime.getRuntime().maxMemory()
                                   / (1024 * 1024) + " MB");
                System.exit(all ? 0 : 1);
            }
        }
    }
}
