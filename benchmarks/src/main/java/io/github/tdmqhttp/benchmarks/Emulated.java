package io.github.tdmqhttp.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import io.github.tdmqhttp.emulator.wire.RequestStats;
import org.apache.camel.CamelContext;

/**
 * The emulator the benchmark runs against, with the knobs it turns: latency, quota, and HTTP or HTTPS. Hands out SDK
 * clients and Camel contexts pointed at it, and fresh topic names.
 */
final class Emulated implements AutoCloseable {

    // The loads call one action faster than the service's 1000 per second allow (maxRequestsPerSecond=0), so the
    // emulator's limit is off unless quota(true) turns it on for a chart.
    private final TdmqEmulator emulator = TdmqEmulator.builder().ackTimeout(Duration.ofMinutes(5)).noRateLimit()
            .https().build().start();
    private final AtomicInteger topics = new AtomicInteger();
    private volatile boolean tls;

    /** Whether the clients and contexts handed out from now on reach the emulator over HTTPS. */
    void tls(boolean on) {
        this.tls = on;
    }

    boolean tls() {
        return tls;
    }

    /** Requests answered so far, over every action. */
    long requests() {
        return emulator.requestStats().values().stream().mapToLong(RequestStats::requests).sum();
    }

    /** ReceiveMessage requests answered so far. */
    long receiveRequests() {
        RequestStats stats = emulator.requestStats().get("ReceiveMessage");
        return stats == null ? 0 : stats.requests();
    }

    /** HTTPS connections accepted so far: each one a TLS handshake. */
    long tlsConnections() {
        return emulator.connectionCounts().https();
    }

    void latency(int millis) {
        emulator.faults().latency(Duration.ofMillis(millis), Duration.ZERO);
    }

    void quota(boolean on) {
        emulator.settings().rateLimit(on ? 1000 : 0);
    }

    TdmqEmulator emulator() {
        return emulator;
    }

    /** A fresh topic, declared as the console would create it. */
    String newTopic() {
        String topic = "pulsar-bench/ns/t" + topics.incrementAndGet();
        emulator.broker().createTopic(topic, 1);
        return topic;
    }

    /** A fresh topic whose subscriptions deliver again what is not acknowledged within {@code ackTimeout}. */
    String newTopic(Duration ackTimeout) {
        String topic = "pulsar-bench/ns/t" + topics.incrementAndGet();
        emulator.broker().createTopic(topic, 1,
                TopicOptions.DEFAULTS.withAckTimeout(ackTimeout));
        return topic;
    }

    /** Fills a topic with messages for a consumer to drain. */
    void publish(String topic, int count) {
        publish(topic, count, Loads.PAYLOAD);
    }

    void publish(String topic, int count, String payload) {
        for (int i = 0; i < count; i++) {
            emulator.broker().publish(topic, payload);
        }
    }

    long sent(String topic) {
        return emulator.broker().stats().stream().filter(stats -> stats.topic().equals(topic))
                .mapToLong(stats -> stats.sent()).sum();
    }

    long acked(String topic, String subscription) {
        return emulator.broker().stats().stream().filter(stats -> stats.topic().equals(topic))
                .flatMap(stats -> stats.subscriptions().stream())
                .filter(stats -> stats.subscription().equals(subscription))
                .mapToLong(stats -> stats.acked()).sum();
    }

    /** An SDK client as the official demo builds one (with a finite read timeout). */
    TdmqClient sdkClient() {
        HttpProfile http = new HttpProfile();
        if (tls) {
            http.setEndpoint("127.0.0.1:" + emulator.httpsPort());
            http.setProtocol(HttpProfile.REQ_HTTPS);
            http.setSslSocketFactory(emulator.certificate().sslContext().getSocketFactory());
            http.setX509TrustManager(emulator.certificate().trustManager());
        } else {
            http.setEndpoint("127.0.0.1:" + emulator.port());
            http.setProtocol(HttpProfile.REQ_HTTP);
        }
        http.setReadTimeout(30);
        return new TdmqClient(new Credential(emulator.secretId(), emulator.secretKey()), emulator.region(),
                new ClientProfile(ClientProfile.SIGN_TC3_256, http));
    }

    /** A Camel context whose tdmq-http component points at the emulator, with the component's defaults otherwise. */
    CamelContext camel() {
        CamelContext camel = EmulatedTdmqHttp.context(emulator);
        if (tls) {
            TdmqHttpConfiguration configuration = camel.getComponent("tdmq-http", TdmqHttpComponent.class)
                    .getConfiguration();
            configuration.setEndpoint(emulator.httpsEndpoint());
            configuration.setSslContextParameters(EmulatedTdmqHttp.trustingTheEmulator(emulator));
        }
        return camel;
    }

    @Override
    public void close() {
        emulator.stop();
    }
}
