package io.github.tdmqhttp.emulator;

import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.fault.Latency;
import io.github.tdmqhttp.emulator.fault.RateLimiter;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.model.TopicName;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import io.github.tdmqhttp.emulator.wire.CredentialStore;
import io.github.tdmqhttp.emulator.wire.MessageIdText;
import io.github.tdmqhttp.emulator.wire.RequestStats;
import io.github.tdmqhttp.emulator.wire.TdmqApi;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * service side. Each leniency is a named builder option: {@link Builder#autoCreateTopics},
 * {@link Builder#noRateLimit}, {@link Builder#shareProducerNames}, {@link Builder#verifySignatures},
 * {@link Builder#noUnacknowledgedLimit}, {@link Builder#serviceSideBatching}.
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

    private TdmqEmulator(Builder builder) {
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
    public static Builder builder() {
        return new Builder();
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

    /** Whether the emulator serves HTTPS too ({@link Builder#https()}). */
    public boolean isHttps() {
        return server.certificate() != null;
    }

    /** The HTTPS port; only with {@link Builder#https()}. */
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

    /** {@code https://127.0.0.1:<httpsPort>}; only with {@link Builder#https()}. */
    public String httpsEndpoint() {
        return "https://" + HOST + ":" + httpsPort();
    }

    /** The certificate HTTPS is served with, and how a client trusts it; only with {@link Builder#https()}. */
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

    /** A topic the builder declares. */
    private record DeclaredTopic(int partitions, TopicOptions options) {
    }

    /** Configures a {@link TdmqEmulator}. Every setting has a default; see each method. */
    public static final class Builder {

        private int port;
        private boolean https;
        private int httpsPort;
        private Path keyStore;
        private String keyStorePassword;
        private String secretId = DEFAULT_SECRET_ID;
        private String secretKey = DEFAULT_SECRET_KEY;
        private final List<CredentialStore.Credential> moreCredentials = new ArrayList<>();
        private final Map<String, Set<String>> deniedActions = new LinkedHashMap<>();
        private boolean verifySignatures = true;
        private boolean autoCreateTopics;
        private int defaultPartitions = 1;
        private final Map<String, DeclaredTopic> topics = new LinkedHashMap<>();
        private int maxUnacknowledgedMessages = Broker.DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES;
        private boolean serviceSideBatching = true;
        private final Set<String> stringTokens = new LinkedHashSet<>();
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration receiveWait = Duration.ofSeconds(1);
        private int maxResponseBytes;
        private int rateLimit = RateLimiter.SERVICE_LIMIT;
        private boolean shareProducerNames;
        private Long firstLedgerId;
        private Latency latency = Latency.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The port on 127.0.0.1; 0 (the default) takes a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Serves HTTPS as well as HTTP, on a port of its own ({@link #httpsPort(int)}), with a self-signed certificate
         * for 127.0.0.1 and localhost that the emulator generates ({@link EmulatorCertificate#generated()}). Clients
         * trust it with {@link TdmqEmulator#certificate()}.
         */
        public Builder https() {
            this.https = true;
            return this;
        }

        /**
         * Serves HTTPS as well as HTTP with the key and certificate of a key store of your own (PKCS12, or JKS when
         * the name ends with .jks; the key's password is the store's).
         */
        public Builder https(Path keyStore, String password) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "password");
            this.https = true;
            return this;
        }

        /** The HTTPS port on 127.0.0.1; 0 (the default) takes a free one. Only with {@link #https()}. */
        public Builder httpsPort(int httpsPort) {
            if (httpsPort < 0 || httpsPort > 65535) {
                throw new IllegalArgumentException("httpsPort must be 0-65535, was " + httpsPort);
            }
            this.httpsPort = httpsPort;
            return this;
        }

        /**
         * The primary key pair; defaults to {@value #DEFAULT_SECRET_ID} / {@value #DEFAULT_SECRET_KEY}. The SecretId
         * must start with {@code AKID}, as those of Tencent Cloud API keys do.
         */
        public Builder credentials(String secretId, String secretKey) {
            if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("secretId and secretKey must not be blank");
            }
            new CredentialStore.Credential(secretId, secretKey, null, null);
            this.secretId = secretId;
            this.secretKey = secretKey;
            return this;
        }

        /** One more accepted permanent key pair. */
        public Builder addCredentials(String secretId, String secretKey) {
            moreCredentials.add(new CredentialStore.Credential(secretId, secretKey, null, null));
            return this;
        }

        /**
         * Accepted temporary credentials: requests must carry {@code sessionToken} in X-TC-Token, and fail with
         * AuthFailure.TokenFailure from {@code expiresAt} on (by the emulator's {@link #clock}).
         */
        public Builder addTemporaryCredentials(String secretId, String secretKey, String sessionToken,
                                               Instant expiresAt) {
            moreCredentials.add(new CredentialStore.Credential(secretId, secretKey,
                    Objects.requireNonNull(sessionToken, "sessionToken"), Objects.requireNonNull(expiresAt,
                    "expiresAt")));
            return this;
        }

        /**
         * A CAM policy that denies {@code actions} (SendMessages, SendBatchMessages, ReceiveMessage,
         * AcknowledgeMessage) to the key {@code secretId}: its requests for them answer
         * AuthFailure.UnauthorizedOperation. Checked with the signature, so not when signatures are not verified.
         */
        public Builder denyActions(String secretId, String... actions) {
            Objects.requireNonNull(secretId, "secretId");
            for (String action : actions) {
                if (!FaultRule.ACTIONS.contains(action)) {
                    throw new IllegalArgumentException("action must be one of " + FaultRule.ACTIONS + ", was " + action);
                }
                deniedActions.computeIfAbsent(secretId, any -> new LinkedHashSet<>()).add(action);
            }
            return this;
        }

        /** Whether to check TC3-HMAC-SHA256 signatures; default true. False is a leniency: any signature passes. */
        public Builder verifySignatures(boolean verifySignatures) {
            this.verifySignatures = verifySignatures;
            return this;
        }

        /**
         * Whether a send or receive on an unknown topic creates it, with {@link #defaultPartitions} partitions. Off by
         * default, as on the service, where a topic exists once it is created in the console and any other answers
         * InvalidParameterValue.TopicNotFound: declare topics with {@link #topic}, the broker, the admin API or
         * {@link TdmqTopic}. On is a leniency: a mistyped topic then works locally and fails in the cloud.
         */
        public Builder autoCreateTopics(boolean autoCreateTopics) {
            this.autoCreateTopics = autoCreateTopics;
            return this;
        }

        /** Partitions of auto-created topics; default 1 (partitioned, so ReceiveMessage works); 0 = non-partitioned. */
        public Builder defaultPartitions(int defaultPartitions) {
            if (defaultPartitions < 0) {
                throw new IllegalArgumentException("defaultPartitions must not be negative, was " + defaultPartitions);
            }
            this.defaultPartitions = defaultPartitions;
            return this;
        }

        /**
         * Declares a topic, as creating it in the console does; 0 partitions makes it non-partitioned (ReceiveMessage
         * then answers TopicTypeError). Any form {@link TopicName} accepts; kept under {@code tenant/namespace/topic}.
         */
        public Builder topic(String topic, int partitions) {
            return topic(topic, partitions, TopicOptions.DEFAULTS);
        }

        /**
         * Declares a topic with settings of its own, as CreateTopic sets them: its ack timeout (AckTimeOut, used to
         * redeliver what its subscriptions do not acknowledge) and its limit of unacknowledged messages per
         * subscription and partition. What {@code options} leaves null follows the emulator's defaults
         * ({@link #ackTimeout}, {@link #maxUnacknowledgedMessages}).
         */
        public Builder topic(String topic, int partitions, TopicOptions options) {
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must not be negative, was " + partitions);
            }
            if (!TopicName.isValid(topic)) {
                throw new IllegalArgumentException("topic must be " + TopicName.EXPECTED_FORM + ", was " + topic);
            }
            topics.put(topic, new DeclaredTopic(partitions, Objects.requireNonNull(options, "options")));
            return this;
        }

        /** Declares a topic with one partition: {@code topic(topic, 1)}. */
        public Builder topic(String topic) {
            return topic(topic, 1);
        }

        /**
         * Role tokens. When any is configured, SendMessages and SendBatchMessages must carry one of them in
         * StringToken, else InvalidParameter.TokenNotFound. None by default.
         */
        public Builder stringTokens(String... tokens) {
            for (String token : tokens) {
                stringTokens.add(Objects.requireNonNull(token, "token"));
            }
            return this;
        }

        /**
         * The most unacknowledged messages a subscription may hold on one partition: past it, delivery to that
         * subscription stops on that partition until acknowledgements arrive (a receive then answers as an empty
         * topic does, FailedOperation.ReceiveTimeout after the wait). Default
         * {@value Broker#DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES}, the service's (product doc 1110/68959). 0 is a
         * leniency, no limit ({@link #noUnacknowledgedLimit()}). A topic may have its own ({@link TopicOptions}).
         */
        public Builder maxUnacknowledgedMessages(int maxUnacknowledgedMessages) {
            if (maxUnacknowledgedMessages < 0) {
                throw new IllegalArgumentException("maxUnacknowledgedMessages must not be negative, was "
                        + maxUnacknowledgedMessages);
            }
            this.maxUnacknowledgedMessages = maxUnacknowledgedMessages;
            return this;
        }

        /**
         * A leniency: no limit of unacknowledged messages, for tests that hold more than the service would deliver.
         * {@code maxUnacknowledgedMessages(0)}.
         */
        public Builder noUnacknowledgedLimit() {
            return maxUnacknowledgedMessages(0);
        }

        /**
         * Whether SendBatchMessages calls are aggregated into batch entries, as the TDMQ-HTTP service does (API
         * reference 1110/44130): calls to one topic within the request's BatchingMaxPublishDelay and under its
         * BatchingMaxMessages and BatchingMaxBytes share ledger:entry:partition and differ in batch index, and each
         * call is answered when its batch is published. Default true. False is a leniency: each call is stored alone
         * in an entry and answered at once, as SendMessages is.
         */
        public Builder serviceSideBatching(boolean serviceSideBatching) {
            this.serviceSideBatching = serviceSideBatching;
            return this;
        }

        /** How long a delivered, unacknowledged message stays in flight before it is delivered again; default 30 s. */
        public Builder ackTimeout(Duration ackTimeout) {
            if (ackTimeout == null || ackTimeout.isZero() || ackTimeout.isNegative()) {
                throw new IllegalArgumentException("ackTimeout must be positive, was " + ackTimeout);
            }
            this.ackTimeout = ackTimeout;
            return this;
        }

        /** How long a single-message ReceiveMessage waits before FailedOperation.ReceiveTimeout; default 1 s. */
        public Builder receiveWait(Duration receiveWait) {
            if (receiveWait == null || receiveWait.isNegative()) {
                throw new IllegalArgumentException("receiveWait must not be negative, was " + receiveWait);
            }
            this.receiveWait = receiveWait;
            return this;
        }

        /**
         * The largest answer body in bytes; a larger one is replaced by the error ResponseSizeLimitExceeded (the
         * action has taken effect: a receive's messages are in flight). Off (0) by default: the service has this error
         * but publishes no value, and a guessed one would refuse answers the service may give.
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 0) {
                throw new IllegalArgumentException("maxResponseBytes must not be negative, was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Requests per second per action before RequestLimitExceeded; default {@value RateLimiter#SERVICE_LIMIT}, the
         * quota every action's reference page states. 0 turns it off (see {@link #noRateLimit()}).
         */
        public Builder rateLimit(int requestsPerSecond) {
            if (requestsPerSecond < 0) {
                throw new IllegalArgumentException("rateLimit must not be negative, was " + requestsPerSecond);
            }
            this.rateLimit = requestsPerSecond;
            return this;
        }

        /** The service's own limit, the default: {@value RateLimiter#SERVICE_LIMIT} requests per second per action. */
        public Builder rateLimitOn() {
            return rateLimit(RateLimiter.SERVICE_LIMIT);
        }

        /**
         * A leniency: no rate limit at all, for load tests and benchmarks that call one action faster than the
         * service would allow. {@code rateLimit(0)}.
         */
        public Builder noRateLimit() {
            return rateLimit(0);
        }

        /**
         * Whether concurrent sends may use one ProducerName. Off by default: the reference says a ProducerName must
         * be globally unique, and the service creates a producer per call, so a send under a name that a send in
         * flight holds answers FailedOperation.CreateProducerError. On is a leniency: every such send passes.
         */
        public Builder shareProducerNames(boolean shareProducerNames) {
            this.shareProducerNames = shareProducerNames;
            return this;
        }

        /**
         * The ledger id of the first partition; later ones count up. By default a random number, so that message ids
         * differ from run to run as on the service; fix it where a test needs the same ids every run.
         */
        public Builder firstLedgerId(long firstLedgerId) {
            if (firstLedgerId < 0) {
                throw new IllegalArgumentException("firstLedgerId must not be negative, was " + firstLedgerId);
            }
            this.firstLedgerId = firstLedgerId;
            return this;
        }

        /** Time added to every API answer: {@code fixed} plus a random part up to {@code jitter}; default none. */
        public Builder latency(Duration fixed, Duration jitter) {
            this.latency = new Latency(fixed, jitter);
            return this;
        }

        /** The emulator's notion of now, for signature timestamps and temporary credentials; default system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The emulator, not yet listening: call {@link TdmqEmulator#start()}. */
        public TdmqEmulator build() {
            return new TdmqEmulator(this);
        }
    }
}
