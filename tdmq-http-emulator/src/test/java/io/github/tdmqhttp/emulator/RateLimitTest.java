package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-action request limit. Each test has an emulator of its own (the extension on an instance field). */
class RateLimitTest {

    private static final int LIMIT = 50;

    @RegisterExtension
    TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .rateLimit(LIMIT));

    /** Outcome counts of a burst. */
    private record Burst(int succeeded, int throttled, double seconds) {
    }

    /** 200 sends from 8 threads, as fast as they go. */
    private Burst burstOfSends(String topic) throws Exception {
        TdmqClient client = Sdk.client(emulator.get());
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> senders = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                senders.add(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            client.SendMessages(Sdk.send(topic, "m"));
                            succeeded.incrementAndGet();
                        } catch (TencentCloudSDKException refused) {
                            assertThat(refused.getErrorCode()).isEqualTo("RequestLimitExceeded");
                            throttled.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            long start = System.nanoTime();
            for (Future<Void> sender : threads.invokeAll(senders, 60, TimeUnit.SECONDS)) {
                sender.get();
            }
            return new Burst(succeeded.get(), throttled.get(), (System.nanoTime() - start) / 1e9);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void burstOverTheLimitIsThrottled() throws Exception {
        String topic = Topics.unique("burst");

        Burst burst = burstOfSends(topic);

        assertThat(burst.succeeded() + burst.throttled()).isEqualTo(200);
        assertThat(burst.throttled()).isPositive();
        // At most LIMIT in any one-second window: a burst spanning s seconds can pass LIMIT for each started second.
        assertThat(burst.succeeded()).isLessThanOrEqualTo(LIMIT * (int) Math.ceil(burst.seconds()));
        assertThat(emulator.get().requestStats().get("SendMessages").throttled()).isEqualTo(burst.throttled());
        assertThat(emulator.broker().topicStats(topic).sent()).isEqualTo(burst.succeeded());
    }

    @Test
    void limitIsCountedPerAction() throws Exception {
        String topic = Topics.unique("per-action");
        TdmqClient client = Sdk.client(emulator.get());
        for (int i = 0; i < LIMIT; i++) {
            client.SendMessages(Sdk.send(topic, "m" + i));
        }

        assertThat(Sdk.errorCode(() -> client.SendMessages(Sdk.send(topic, "one too many"))))
                .isEqualTo("RequestLimitExceeded");
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload()).isEqualTo("m0");
    }

    @Test
    void limitCanBeTurnedOffWhileRunning() throws Exception {
        emulator.settings().rateLimit(0);

        Burst burst = burstOfSends(Topics.unique("unlimited"));

        assertThat(burst.throttled()).isZero();
    }

    @Test
    void theServicesQuotaOf1000IsTheDefaultAndNoRateLimitIsANamedLeniency() {
        assertThat(TdmqEmulator.builder().build().settings().rateLimit()).isEqualTo(1000);
        assertThat(TdmqEmulator.builder().rateLimit(0).rateLimitOn().build().settings().rateLimit()).isEqualTo(1000);
        assertThat(TdmqEmulator.builder().noRateLimit().build().settings().rateLimit()).isZero();
    }
}
