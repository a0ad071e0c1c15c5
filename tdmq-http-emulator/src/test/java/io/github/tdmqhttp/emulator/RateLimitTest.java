package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.Credential;
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
            .addCredentials(SECOND_SECRET_ID, SECOND_SECRET_KEY)
            .rateLimit(LIMIT));

    private static final String SECOND_SECRET_ID = "AKIDSECONDSUBACCOUNT";
    private static final String SECOND_SECRET_KEY = "second-sub-account-key";

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

    /** Sends LIMIT messages with {@code client}, then returns the error code of one more. */
    private String codeOfOneSendOverTheLimit(TdmqClient client, String topic) throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            client.SendMessages(Sdk.send(topic, "m" + i));
        }
        return Sdk.errorCode(() -> client.SendMessages(Sdk.send(topic, "one too many")));
    }

    /** Rate-limit doc 1278/109059: the quota is counted per API, access region and sub-account. */
    @Test
    void limitIsCountedPerSecretId() throws Exception {
        String topic = Topics.unique("per-secret-id");
        TdmqClient first = Sdk.client(emulator.get());
        TdmqClient second = Sdk.client(emulator.port(), new Credential(SECOND_SECRET_ID, SECOND_SECRET_KEY));

        assertThat(codeOfOneSendOverTheLimit(first, topic)).isEqualTo("RequestLimitExceeded");

        assertThat(second.SendMessages(Sdk.send(topic, "another sub-account")).getErrorMsg()).isEqualTo("success");
    }

    /** X-TC-Region names the product's region; the quota counts the region of the API server the request reached. */
    @Test
    void limitIsNotSplitByTheProductRegionTheRequestNames() throws Exception {
        String topic = Topics.unique("per-product-region");
        TdmqClient guangzhou = Sdk.client(emulator.get());
        TdmqClient shanghai = new TdmqClient(new Credential(emulator.get().secretId(), emulator.get().secretKey()),
                "ap-shanghai", Sdk.profile(emulator.port()));

        codeOfOneSendOverTheLimit(guangzhou, topic);

        TencentCloudSDKException refused = Sdk.failure(() -> shanghai.SendMessages(Sdk.send(topic, "same access")));
        assertThat(refused.getErrorCode()).isEqualTo("RequestLimitExceeded");
        assertThat(refused.getMessage()).contains(TdmqEmulator.DEFAULT_SECRET_ID, "access region local");
    }

    /**
     * A regional endpoint ({@code tdmq.ap-shanghai.tencentcloudapi.com}) is another access region. The SDK reaches
     * the emulator under that name through it as an HTTP proxy, so the Host and the signature are the real ones.
     */
    @Test
    void limitIsCountedPerAccessRegion() throws Exception {
        String topic = Topics.unique("per-access-region");
        TdmqClient local = Sdk.client(emulator.get());
        TdmqClient viaShanghai = new TdmqClient(new Credential(emulator.get().secretId(), emulator.get().secretKey()),
                TdmqEmulator.REGION, Sdk.proxiedProfile(emulator.port(), "tdmq.ap-shanghai.tencentcloudapi.com"));

        assertThat(codeOfOneSendOverTheLimit(local, topic)).isEqualTo("RequestLimitExceeded");

        // A window of its own: LIMIT more sends pass before the next is refused.
        assertThat(codeOfOneSendOverTheLimit(viaShanghai, topic)).isEqualTo("RequestLimitExceeded");
        assertThat(emulator.broker().topicStats(topic).sent()).isEqualTo(2L * LIMIT);
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
