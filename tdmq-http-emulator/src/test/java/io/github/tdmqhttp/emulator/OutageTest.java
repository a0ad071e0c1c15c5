package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An outage: connections refused for a while, then the emulator listens again on the same port by itself. */
class OutageTest {

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder()
            // Every test sends to a fresh topic of its own; declaring topics is tested in TopicsTest.
            .autoCreateTopics(true)
            .receiveWait(Duration.ofMillis(300)));

    @Test
    void refusesConnectionsThenListensAgainOnTheSamePort() throws Exception {
        TdmqClient client = Sdk.client(emulator.get());
        String topic = Topics.unique("outage");
        client.SendMessages(Sdk.send(topic, "before the outage"));
        int port = emulator.port();

        emulator.get().refuseConnections(Duration.ofSeconds(1));

        assertThat(emulator.get().isRefusingConnections()).isTrue();
        TencentCloudSDKException refused = Sdk.failure(() -> client.SendMessages(Sdk.send(topic, "during")));
        assertThat(refused.getErrorCode()).isNull();
        assertThat(refused.getCause()).isInstanceOf(IOException.class);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> client.SendMessages(Sdk.send(topic, "after the outage")).getMessageId() != null);

        assertThat(emulator.get().isRefusingConnections()).isFalse();
        assertThat(emulator.port()).isEqualTo(port);
        // The broker kept its state through the outage.
        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(topic, "s")).getMessagePayload())
                .isEqualTo("before the outage");
    }

    @Test
    void aCallInFlightWhenTheOutageStartsFailsAtOnce() throws Exception {
        // A receive on an empty topic waits well past the test's wait: only a reset connection ends it in time.
        try (TdmqEmulator slow = TdmqEmulator.builder().autoCreateTopics(true)
                .receiveWait(Duration.ofSeconds(Sdk.READ_TIMEOUT_SECONDS - 5)).build().start()) {
            TdmqClient client = Sdk.client(slow);
            long connectionsBefore = slow.connectionCounts().http();
            CompletableFuture<String> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.ReceiveMessage(Sdk.receiveEarliest(Topics.unique("in-flight"), "s")).getMessageID();
                } catch (TencentCloudSDKException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.connectionCounts().http() > connectionsBefore);

            slow.refuseConnections(Duration.ofSeconds(1));

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> receiving.get(5, TimeUnit.SECONDS));
            assertThat(failed.getCause().getCause()).isInstanceOf(TencentCloudSDKException.class)
                    .hasRootCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void stopDuringAnOutageCancelsTheRestart() {
        TdmqEmulator own = TdmqEmulator.startDefault();
        own.refuseConnections(Duration.ofMillis(300));

        own.stop();

        assertThat(own.isRunning()).isFalse();
        assertThat(own.isRefusingConnections()).isFalse();
    }
}
