package io.github.tdmqhttp.emulator;

import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.fault.RateLimiter;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.wire.CredentialStore;
import io.github.tdmqhttp.emulator.wire.MessageIdText;
import io.github.tdmqhttp.emulator.wire.RequestStats;
import io.github.tdmqhttp.emulator.wire.TdmqApi;
import java.time.Duration;
import java.util.Map;

/**
 * A local, stateful emulator of the TDMQ for Pulsar HTTP API (SendMessages, SendBatchMessages, ReceiveMessage,
 * AcknowledgeMessage), wire-compatible with the Tencent Cloud SDK, on {@code 127.0.0.1}.
 *
 * <pre>{@code
 * try (TdmqEmulator emulator = TdmqEmulator.builder().topic("pulsar-local/default/orders", 4).build().start()) {
 *     HttpProfile http = new HttpProfile();
 *     http.setEndpoint("127.0.0.1:" + emulator.port());
 *     http.setProtocol("http://");
 *     ...
 * }
 * }</pre>
 *
 * <p>It is made of three separate pieces: the {@link Broker} (topics, logs, subscriptions, ack timeouts, counters),
 * the {@link Faults} and rate limit, and the wire layer ({@link TdmqApi}: signature, JSON, error shapes) that
 * WireMock serves. An admin API for tools outside the JVM is under {@code /__admin/tdmq/} on the same port.
 *
 * <p>By default it is as strict as the service: topics must be declared, each action is limited to 1000 requests a
 * second per SecretId and access region, a ProducerName serves one send at a time, a subscription holding 5,000
 * unacknowledged messages on a partition gets nothing more from it, SendBatchMessages calls are batched on the
 * service side. Each leniency is a named builder option: {@link TdmqEmulatorBuilder#autoCreateTopics},
 * {@link TdmqEmulatorBuilder#noRateLimit}, {@link TdmqEmulatorBuilder#shareProducerNames},
 * {@link TdmqEmulatorBuilder#verifySignatures}, {@link TdmqEmulatorBuilder#noUnacknowledgedLimit},
 * {@link TdmqEmulatorBuilder#serviceSideBatching}.
 */
public final class TdmqEmulator implements AutoCloseable {

    /** The SecretId the emulator accepts unless told otherwise. */
    public static final String DEFAULT_SECRET_ID = "AKIDLOCALEMULATOR";
    /** The SecretKey the emulator accepts unless told otherwise. */
    public static final String DEFAULT_SECRET_KEY = "local-emulator-secret-key";
    /** The region {@link #camelUri} and the examples use; every documented TDMQ region is accepted. */
    public static final String REGION = "ap-guangzhou";
    /** The emulator listens on loopback only. */
    public static final String HOST = "127.0.0.1";

    private static final System.Logger LOG = System.getLogger(TdmqEmulator.class.getName());

    private final String secretId;
    private final String secretKey;
    private final Broker broker;
    private final Faults faults;
    private final TdmqApi api;
    private final Settings settings;
    private final EmulatorServer server;

    TdmqEmulator(TdmqEmulatorBuilder builder) {
        this.secretId = builder.secretId;
        this.secretKey = builder.secretKey;
        this.broker = new Broker(builder.autoCreateTopics, builder.defaultPartitions, builder.ackTimeout,
                builder.firstLedgerId == null ? Broker.randomFirstLedger() : builder.firstLedgerId);
        broker.maxUnacknowledgedMessages(builder.maxUnacknowledgedMessages);
        broker.serviceSideBatching(builder.serviceSideBatching);
        builder.topics.forEach((topic, declared) -> broker.createTopic(topic, declared.partitions(), declared.options()));
        this.faults = new Faults(builder.latency);
        RateLimiter rateLimiter = new RateLimiter(builder.rateLimit);
        CredentialStore credentials = new CredentialStore().add(builder.secretId, builder.secretKey);
        builder.moreCredentials.forEach(credentials::add);
        builder.deniedActions.forEach(credentials::deny);
        this.api = new TdmqApi(broker, faults, rateLimiter, credentials, builder.clock, builder.stringTokens,
                builder.receiveWait, builder.verifySignatures, builder.shareProducerNames);
        api.maxResponseBytes(builder.maxResponseBytes);
        this.settings = new Settings(broker, rateLimiter, api);
        EmulatorCertificate certificate = builder.keyStore != null
                ? EmulatorCertificate.of(builder.keyStore, builder.keyStorePassword)
                : builder.https ? EmulatorCertificate.generated() : null;
        this.server = new EmulatorServer(builder.port, builder.httpsPort, certificate, api, new AdminEndpoint(this));
    }

    /**
     * A builder with the defaults, as strict as the service: free port, default credentials, signatures checked,
     * topics must be declared, 1000 requests per second per action, ProducerNames exclusive, 5,000 unacknowledged
     * messages per subscription and partition, service-side batching of SendBatchMessages.
     */
    public static TdmqEmulatorBuilder builder() {
        return new TdmqEmulatorBuilder();
    }

    /** {@code builder().build().start()}: no topics, so declare them with {@code broker().createTopic} first. */
    public static TdmqEmulator startDefault() {
        return builder().build().start();
    }

    /**
     * Starts listening. Does nothing when already started.
     *
     * @return this
     */
    public TdmqEmulator start() {
        server.start();
        LOG.log(System.Logger.Level.DEBUG, "TDMQ emulator listening on {0}", endpoint());
        return this;
    }

    /** Stops listening and drops pending restarts; the broker keeps its state. Does nothing when stopped. */
    public void stop() {
        server.stop();
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether the emulator is started (also during {@link #refuseConnections}, which ends by itself). */
    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Stops listening, so that clients get "connection refused", and listens again on the same port after
     * {@code outage}, by itself. The broker keeps its state. Called again during an outage, it moves the end.
     */
    public void refuseConnections(Duration outage) {
        server.refuseConnections(outage);
    }

    /** Whether an outage started by {@link #refuseConnections} is in progress. */
    public boolean isRefusingConnections() {
        return server.isRefusingConnections();
    }

    /** Starts an outage a moment from now, so that the admin call that asked for it still gets its answer. */
    void refuseConnectionsSoon(Duration outage) {
        server.refuseConnectionsSoon(outage);
    }

    /** The port the emulator listens on. */
    public int port() {
        int current = server.port();
        if (current < 0) {
            throw new IllegalStateException("The emulator has no port yet; start() it first.");
        }
        return current;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://" + HOST + ":" + port();
    }

    /** Whether the emulator serves HTTPS too ({@link TdmqEmulatorBuilder#https()}). */
    public boolean isHttps() {
        return server.certificate() != null;
    }

    /** The HTTPS port; only with {@link TdmqEmulatorBuilder#https()}. */
    public int httpsPort() {
        if (!isHttps()) {
            throw new IllegalStateException("The emulator serves HTTP only; build it with https() for HTTPS.");
        }
        int current = server.httpsPort();
        if (current < 0) {
            throw new IllegalStateException("The emulator has no port yet; start() it first.");
        }
        return current;
    }

    /** {@code https://127.0.0.1:<httpsPort>}; only with {@link TdmqEmulatorBuilder#https()}. */
    public String httpsEndpoint() {
        return "https://" + HOST + ":" + httpsPort();
    }

    /**
     * The certificate HTTPS is served with, and how a client trusts it; only with {@link TdmqEmulatorBuilder#https()}.
     */
    public EmulatorCertificate certificate() {
        if (!isHttps()) {
            throw new IllegalStateException("The emulator serves HTTP only; build it with https() for HTTPS.");
        }
        return server.certificate();
    }

    /** Connections accepted so far on each port; every HTTPS one is a TLS handshake. */
    public ConnectionCounts connectionCounts() {
        return server.connectionCounts();
    }

    /** The primary SecretId. */
    public String secretId() {
        return secretId;
    }

    /** The primary SecretKey. */
    public String secretKey() {
        return secretKey;
    }

    /** {@value #REGION}. */
    public String region() {
        return REGION;
    }

    /**
     * A {@code tdmq-http:} endpoint URI for the Camel component that points at this emulator, with the primary
     * credentials. A string only: the emulator does not depend on Camel.
     */
    public String camelUri(String topic) {
        return "tdmq-http:" + topic + "?region=" + REGION + "&endpoint=" + endpoint() + "&secretId=RAW(" + secretId
                + ")&secretKey=RAW(" + secretKey + ")";
    }

    /** The broker model: topics, subscriptions and their counters; also for publishing without HTTP. */
    public Broker broker() {
        return broker;
    }

    /**
     * Stores a message on a declared topic without HTTP, as SendMessages would.
     *
     * @return the message id as SendMessages answers it ({@code ledger:entry:partition:0}: stored alone in an entry)
     */
    public String publish(String topic, String payload) {
        return MessageIdText.sent(broker.publish(topic, payload));
    }

    /** The fault rules and latency in force. */
    public Faults faults() {
        return faults;
    }

    /** The runtime knobs: ack timeout, rate limit, receive wait, signature checks. */
    public Settings settings() {
        return settings;
    }

    /** Request counters per action: requests, throttled answers, injected faults. */
    public Map<String, RequestStats> requestStats() {
        return api.requestStats();
    }

    @Override
    public String toString() {
        int current = server.port();
        return "TdmqEmulator[" + (current < 0 ? "not started" : endpoint())
                + (server.isRefusingConnections() ? ", refusing connections" : "") + "]";
    }
}
