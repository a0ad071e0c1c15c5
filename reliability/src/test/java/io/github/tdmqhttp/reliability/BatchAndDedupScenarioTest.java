package io.github.tdmqhttp.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batch consumer survives a kill -9 of its JVM mid-batch, and the README's deduplication recipe (the CloudEvents
 * envelope's idempotency key, an in-memory guard for copies in flight, a file repository that survives a restart)
 * takes scenario 1's duplicate sends and redeliveries down to none.
 */
class BatchAndDedupScenarioTest {

    static final int BATCH_MESSAGES = Integer.getInteger("reliability.batchMessages", 200);

    @Test
    void aBatchConsumerKilledMidBatchLosesNothing(@TempDir Path directory) throws Exception {
        String topic = "pulsar-reliability/ns/batch-kill";
        List<String> payloads = Rig.payloads("batch", BATCH_MESSAGES);
        Path log = directory.resolve("child.log");
        Files.createFile(log);
        try (TdmqEmulator emulator = Rig.emulator(topic)) {
            payloads.forEach(payload -> emulator.publish(topic, payload));
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, BatchConsumer.class.getName(), emulator.endpoint(), emulator.secretId(),
                    emulator.secretKey(), topic, log.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("child.out").toFile()).start();
            try {
                // Killed while a batch is in its route, after some batches were done.
                await().atMost(Duration.ofSeconds(60)).until(() -> lines(log, "done ").size() >= 2
                                                                    && lines(log, "start ").size()
                                                                       > lines(log, "done ").size());
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            Set<String> doneByChild = bodies(lines(log, "done "));
            Set<String> inFlightAtKill = bodies(lines(log, "start "));
            inFlightAtKill.removeAll(doneByChild);

            Map<String, AtomicInteger> doneAfter = new ConcurrentHashMap<>();
            try (CamelContext camel = Rig.camel(emulator, "batch-after-kill")) {
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(BatchConsumer.uri(topic)).process(exchange -> exchange.getMessage().getBody(List.class)
                                .forEach(body -> doneAfter.computeIfAbsent((String) body,
                                        any -> new AtomicInteger()).incrementAndGet()));
                    }
                });
                camel.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Set<String> done = new HashSet<>(doneByChild);
                    done.addAll(doneAfter.keySet());
                    return done.containsAll(payloads) && Rig.subscription(emulator, topic, "batch").backlog() == 0;
                });
            }
            Set<String> done = new HashSet<>(doneByChild);
            done.addAll(doneAfter.keySet());
            long lost = payloads.stream().filter(payload -> !done.contains(payload)).count();
            long twice = doneAfter.keySet().stream().filter(doneByChild::contains).count()
                         + doneAfter.values().stream().mapToLong(count -> count.get() - 1L).sum();
            SubscriptionStats stats = Rig.subscription(emulator, topic, "batch");
            Figures.add(new Figures.Row("16. exchangePerBatch: kill -9 of the consuming JVM mid-batch, a new consumer"
                                        + " takes over", BATCH_MESSAGES, lost, twice, "—",
                    String.format("%d done before the kill, %d in the route at the kill (all delivered again), %d"
                                  + " acked, backlog %d", doneByChild.size(), inFlightAtKill.size(), stats.acked(),
                            stats.backlog())));

            assertThat(lost).isZero();
            assertThat(inFlightAtKill).isNotEmpty();
            assertThat(doneAfter.keySet()).as("the batch in the route at the kill came back")
                    .containsAll(inFlightAtKill);
            assertThat(stats.backlog()).isZero();
        }
    }

    @Test
    void theDeduplicationRecipeTakesDuplicateSendsAndRedeliveriesToNone(@TempDir Path directory) throws Exception {
        String topic = "pulsar-reliability/ns/dedup";
        List<String> payloads = Rig.payloads("dedup", ReliabilitySuiteTest.MESSAGES);
        ReliabilitySuiteTest.Processing processing = new ReliabilitySuiteTest.Processing(0.2);
        Path keys = directory.resolve("processed-keys.dat");
        // One repository for the application's two consumers, as the README's recipe sets it up.
        IdempotentRepository inFlight = MemoryIdempotentRepository.memoryIdempotentRepository(10_000);
        IdempotentRepository processed = FileIdempotentRepository.fileIdempotentRepository(keys.toFile(),
                100_000);
        long started = System.nanoTime();
        try (TdmqEmulator emulator = Rig.emulator(topic);
             CamelContext producer = Rig.camel(emulator, "producer");
             CamelContext first = Rig.camel(emulator, "consumer-1");
             CamelContext second = Rig.camel(emulator, "consumer-2")) {
            ReliabilitySuiteTest.injectFaultsOnEveryAction(emulator);
            for (CamelContext consumer : List.of(first, second)) {
                consumer.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("tdmq-http:" + topic + "?subscription=dedup&messageFormat=CLOUDEVENTS&initialDelay=0"
                             + "&delay=50")
                                .idempotentConsumer(header(TdmqHttpConstants.IDEMPOTENCY_KEY), inFlight)
                                .idempotentConsumer(header(TdmqHttpConstants.IDEMPOTENCY_KEY), processed).eager(false)
                                .process(processing::process);
                    }
                });
                consumer.start();
            }
            producer.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // Camel redelivers the same exchange: its elements keep their keys, and only those not sent go
                    // again (a lost answer counts as not sent, so TDMQ may store that element twice: same key).
                    from("direct:send").errorHandler(defaultErrorHandler().maximumRedeliveries(50)
                                    .redeliveryDelay(20))
                            .to("tdmq-http:" + topic + "?messageFormat=CLOUDEVENTS");
                }
            });
            producer.start();
            for (int from = 0; from < payloads.size(); from += 100) {
                producer.createProducerTemplate().sendBody("direct:send",
                        payloads.subList(from, Math.min(payloads.size(), from + 100)));
            }

            await().atMost(Duration.ofMinutes(payloads.size() / 1000 + 3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> processing.processedAll(payloads)
                                 && Rig.subscription(emulator, topic, "dedup").backlog() == 0);
            long stored = Rig.stored(emulator, topic);
            long lost = processing.lost(payloads);
            long duplicates = processing.duplicates();
            SubscriptionStats stats = Rig.subscription(emulator, topic, "dedup");
            first.stop();
            second.stop();

            // After a restart the file still knows every key: a copy that comes back then is dropped too.
            String copy = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"camel:producer\",\"type\":\"t\","
                          + "\"datacontenttype\":\"text/plain\",\"data\":\"dedup-000000\"}";
            String keyOfFirst = Files.readAllLines(keys).get(0);
            emulator.publish(topic, String.format(copy, keyOfFirst));
            AtomicInteger afterRestart = new AtomicInteger();
            try (CamelContext restarted = Rig.camel(emulator, "consumer-restarted")) {
                IdempotentRepository reopened = FileIdempotentRepository.fileIdempotentRepository(keys.toFile(),
                        100_000);
                restarted.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("tdmq-http:" + topic + "?subscription=dedup&messageFormat=CLOUDEVENTS&initialDelay=0")
                                .idempotentConsumer(header(TdmqHttpConstants.IDEMPOTENCY_KEY), reopened).eager(false)
                                .process(exchange -> afterRestart.incrementAndGet());
                    }
                });
                restarted.start();
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> Rig.subscription(emulator, topic, "dedup").acked() > stats.acked());
            }
            Figures.add(new Figures.Row("17. Scenario 1 with the dedup recipe: CloudEvents key, in-flight guard, file"
                                        + " repository", payloads.size(), lost, duplicates, "—",
                    String.format("%d stored (%d by lost answers), %d acked, %d redelivered, %d first attempts"
                                  + " failed, a copy after a restart processed %d times, %.0f s", stored,
                            stored - payloads.size(), stats.acked(), stats.redelivered(), processing.failedFirstAttempts.get(),
                            afterRestart.get(), (System.nanoTime() - started) / 1e9)));

            // The README's recipe is this route's: the same repositories, keys and eagerness.
            String recipe = SecretsTest.recipe(Files.readString(Path.of("..", "README.md")), "dedup");
            assertThat(recipe).contains("MemoryIdempotentRepository.memoryIdempotentRepository(10_000)",
                    "FileIdempotentRepository.fileIdempotentRepository(", "messageFormat=CLOUDEVENTS",
                    ".idempotentConsumer(header(TdmqHttpConstants.IDEMPOTENCY_KEY), inFlight)",
                    ".idempotentConsumer(header(TdmqHttpConstants.IDEMPOTENCY_KEY), processed).eager(false)");
            assertThat(lost).isZero();
            assertThat(duplicates).isZero();
            assertThat(afterRestart).hasValue(0);
            assertThat(stored).as("the faults caused duplicate sends for the recipe to drop")
                    .isGreaterThanOrEqualTo(payloads.size());
        }
    }

    private static List<String> lines(Path log, String prefix) throws java.io.IOException {
        return Files.readAllLines(log).stream().filter(line -> line.startsWith(prefix)).toList();
    }

    private static Set<String> bodies(List<String> lines) {
        Set<String> bodies = new HashSet<>();
        lines.forEach(line -> bodies.addAll(Arrays.asList(line.substring(line.indexOf(' ') + 1).split(","))));
        return bodies;
    }

    /** The consuming JVM that is killed: writes each batch's bodies when it starts and when it is done. */
    public static final class BatchConsumer {

        static String uri(String topic) {
            return "tdmq-http:" + topic + "?subscription=batch&exchangePerBatch=true&maxMessagesPerPoll=20"
                   + "&initialDelay=0&ackTimeout=" + Rig.ACK_TIMEOUT.toMillis();
        }

        public static void main(String[] args) throws Exception {
            Path journal = Path.of(args[4]);
            CamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
            camel.addComponent("tdmq-http", EmulatedTdmqHttp.component(args[0], "ap-guangzhou", args[1], args[2]));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri(args[3])).process(exchange -> {
                        String bodies = String.join(",", exchange.getMessage().getBody(List.class));
                        Files.writeString(journal, "start " + bodies + "\n", StandardOpenOption.APPEND);
                        // The route's work, long enough for the kill to come in the middle of a batch.
                        TimeUnit.MILLISECONDS.sleep(300);
                        Files.writeString(journal, "done " + bodies + "\n", StandardOpenOption.APPEND);
                    });
                }
            });
            camel.start();
            TimeUnit.MINUTES.sleep(5);
            camel.close();
        }
    }
}
