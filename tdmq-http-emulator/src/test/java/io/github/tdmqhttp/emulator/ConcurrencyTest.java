package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many waiting receivers at once, and latency that must not tie up the server's threads. */
class ConcurrencyTest {

    private static final int RECEIVERS = 256;

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            // Hundreds of concurrent calls: faster than the service's 1000 per second would allow.
            .noRateLimit()
            .receiveWait(Duration.ofSeconds(15)));

    @Test
    void servesSendsWhile256ReceiversWait() throws Exception {
        String topic = Topics.unique("fan-out");
        emulator.broker().createTopic(topic, 1);
        TdmqClient client = Sdk.client(emulator.get());
        ExecutorService threads = Executors.newFixedThreadPool(RECEIVERS);
        try {
            List<CompletableFuture<String>> receivers = new ArrayList<>();
            for (int i = 0; i < RECEIVERS; i++) {
                String subscription = "sub-" + i;
                receivers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.ReceiveMessage(Sdk.receive(topic, subscription, "Latest")).getMessagePayload();
                    } catch (Exception failed) {
                        throw new IllegalStateException(failed);
                    }
                }, threads));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> emulator.broker().topicStats(topic).subscriptions().size() == RECEIVERS);
            long start = System.nanoTime();

            client.SendMessages(Sdk.send(topic, "to everyone"));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            CompletableFuture.allOf(receivers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(receivers).allSatisfy(receiver -> assertThat(receiver.join()).isEqualTo("to everyone"));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void latencyDoesNotHoldServerThreads() throws Exception {
        emulator.faults().latency(Duration.ofSeconds(2), Duration.ZERO);
        String topic = Topics.unique("latency");
        emulator.broker().createTopic(topic, 1);
        TdmqClient client = Sdk.client(emulator.get());
        ExecutorService threads = Executors.newFixedThreadPool(100);
        try {
            List<CompletableFuture<String>> senders = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                senders.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.SendMessages(Sdk.send(topic, "x")).getMessageId();
                    } catch (Exception failed) {
                        throw new IllegalStateException(failed);
                    }
                }, threads));
            }
            // Every send is stored (the action runs first); the answers now wait out their latency.
            await().atMost(Duration.ofSeconds(10)).until(() -> emulator.broker().topicStats(topic).sent() == 100);

            assertThat(threadsSleepingInWireMock()).isZero();
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Server threads held by WireMock's synchronous delay, which the emulator must never use. */
    private static long threadsSleepingInWireMock() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> java.util.Arrays.stream(stack).anyMatch(frame ->
                        frame.getMethodName().equals("delayIfRequired")))
                .count();
    }
}
