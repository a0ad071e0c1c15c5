package io.github.tdmqhttp.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTPS with a certificate the emulator generates: the SDK talks to it once told to trust that certificate. */
class HttpsTest {

    private static final String TOPIC = "pulsar-tls/ns/orders";
    private static final String OTHER_TOPIC = "pulsar-tls/ns/other";

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder().https().topic(TOPIC)
            .topic(OTHER_TOPIC)
            .receiveWait(Duration.ofMillis(200)));

    private static TdmqClient httpsClient(TdmqEmulator emulator, boolean trust) {
        HttpProfile http = new HttpProfile();
        http.setEndpoint("127.0.0.1:" + emulator.httpsPort());
        http.setProtocol("https://");
        http.setConnTimeout(5);
        http.setReadTimeout(Sdk.READ_TIMEOUT_SECONDS);
        if (trust) {
            http.setSslSocketFactory(emulator.certificate().sslContext().getSocketFactory());
            http.setX509TrustManager(emulator.certificate().trustManager());
        }
        return new TdmqClient(new Credential(emulator.secretId(), emulator.secretKey()), TdmqEmulator.REGION,
                new ClientProfile(ClientProfile.SIGN_TC3_256, http));
    }

    @Test
    void servesTheApiOverHttpsToAClientThatTrustsItsCertificate() throws Exception {
        TdmqClient client = httpsClient(emulator.get(), true);
        long before = emulator.get().connectionCounts().https();

        client.SendMessages(Sdk.send(TOPIC, "over TLS"));

        assertThat(client.ReceiveMessage(Sdk.receiveEarliest(TOPIC, "tls")).getMessagePayload()).isEqualTo("over TLS");
        assertThat(emulator.get().httpsEndpoint()).startsWith("https://127.0.0.1:");
        assertThat(emulator.get().certificate().certificate().getSubjectAlternativeNames())
                .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("127.0.0.1"));
        assertThat(emulator.get().connectionCounts().https()).isGreaterThan(before);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        TdmqClient client = httpsClient(emulator.get(), false);

        assertThatThrownBy(() -> client.SendMessages(Sdk.send(OTHER_TOPIC, "refused")))
                .isInstanceOf(TencentCloudSDKException.class).cause().isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void keepsServingHttpOnItsOwnPort() throws Exception {
        Sdk.client(emulator.get()).SendMessages(Sdk.send(OTHER_TOPIC, "plain"));

        assertThat(emulator.get().port()).isNotEqualTo(emulator.get().httpsPort());
        assertThat(emulator.get().connectionCounts().http()).isPositive();
    }

    @Test
    void servesAKeyStoreItIsGiven() throws Exception {
        EmulatorCertificate generated = EmulatorCertificate.generated();
        try (TdmqEmulator own = TdmqEmulator.builder().https(generated.keyStore(), generated.keyStorePassword())
                .topic(TOPIC).build().start()) {
            httpsClient(own, true).SendMessages(Sdk.send(TOPIC, "given"));

            assertThat(own.certificate().certificate()).isEqualTo(generated.certificate());
        }
    }

    @Test
    void theCommandLineServesHttpsOnTheGivenPort() throws Exception {
        TdmqEmulator started = Main.start(Main.parse(new String[] { "--port", "0", "--https-port", "0" }),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThat(started.httpsPort()).isPositive();
            httpsClient(started, true).SendMessages(Sdk.send(Main.EXAMPLE_TOPIC, "from the command line"));
        } finally {
            started.stop();
        }
    }

    @Test
    void keystoreWithoutHttpsPortIsAUsageError() {
        assertThatThrownBy(() -> Main.parse(new String[] { "--keystore", "x.p12" }))
                .isInstanceOf(Main.UsageException.class).hasMessageContaining("--https-port");
    }
}
