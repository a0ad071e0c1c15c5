package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.io.IOException;
import java.time.Duration;
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
    void stopDuringAnOutageCancelsTheRestart() {
        TdmqEmulator own = TdmqEmulator.startDefault();
        own.refuseConnections(Duration.ofMillis(300));

        own.stop();

        assertThat(own.isRunning()).isFalse();
        assertThat(own.isRefusingConnections()).isFalse();
    }
}
