package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ProducerName: the reference says it must be globally unique, and the service creates a producer per call, so a
 * name is held while a send under it is in flight.
 */
class ProducerNameTest {

    private static final String TOPIC = "pulsar-test/default/named";
    /** Long enough that two sends started together are both in flight. */
    private static final Duration LATENCY = Duration.ofMillis(600);

    private TdmqEmulator emulator;

    @AfterEach
    void stopEmulator() {
        if (emulator != null) {
            emulator.stop();
        }
    }

    private static SendMessagesRequest send(String producerName) {
        SendMessagesRequest request = Sdk.send(TOPIC, "m");
        request.setProducerName(producerName);
        return request;
    }

    /** Starts {@code count} sends under one name at once; the error code of each, or "success". */
    private List<String> concurrentSends(TdmqClient client, String producerName, int count) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Callable<String>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(() -> {
                    try {
                        return client.SendMessages(send(producerName)).getErrorMsg();
                    } catch (TencentCloudSDKException refused) {
                        return refused.getErrorCode();
                    }
                });
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> outcome : threads.invokeAll(sends, 30, TimeUnit.SECONDS)) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void concurrentSendsUnderOneProducerNameFailWithCreateProducerError() throws Exception {
        emulator = TdmqEmulator.builder().topic(TOPIC).latency(LATENCY, Duration.ZERO).build().start();
        TdmqClient client = Sdk.client(emulator);

        List<String> outcomes = concurrentSends(client, "role1", 2);

        assertThat(outcomes).containsExactlyInAnyOrder("success", "FailedOperation.CreateProducerError");
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isEqualTo(1);
        // The name is free again once the answer has left: sends one after another all pass.
        assertThat(client.SendMessages(send("role1")).getErrorMsg()).isEqualTo("success");
        assertThat(client.SendMessages(send("role1")).getErrorMsg()).isEqualTo("success");
    }

    @Test
    void concurrentSendsUnderDifferentNamesOrNoNameAllPass() throws Exception {
        emulator = TdmqEmulator.builder().topic(TOPIC).latency(LATENCY, Duration.ZERO).build().start();
        TdmqClient client = Sdk.client(emulator);

        assertThat(concurrentSends(client, null, 3)).containsOnly("success");
        assertThat(concurrentSends(client, "role1", 1)).containsOnly("success");
        assertThat(concurrentSends(client, "role2", 1)).containsOnly("success");
    }

    @Test
    void sharingProducerNamesIsANamedLeniency() throws Exception {
        emulator = TdmqEmulator.builder().topic(TOPIC).latency(LATENCY, Duration.ZERO).shareProducerNames(true).build()
                .start();

        assertThat(concurrentSends(Sdk.client(emulator), "role1", 3)).containsOnly("success");
    }
}
