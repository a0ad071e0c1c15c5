package io.github.tdmqhttp.emulator;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;
import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.fault.Latency;
import io.github.tdmqhttp.emulator.fault.RateLimiter;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.wire.CredentialStore;
import io.github.tdmqhttp.emulator.wire.RequestStats;
import io.github.tdmqhttp.emulator.wire.SystemLoggerNotifier;
import io.github.tdmqhttp.emulator.wire.TdmqApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A local, stateful emulator of the TDMQ for Pulsar HTTP API (SendMessages, SendBatchMessages, ReceiveMessage,
 * AcknowledgeMessage), wire-compatible with the Tencent Cloud SDK, on {@code 127.0.0.1}.
 *
 * <pre>{@code
 * try (TdmqEmulator emulator = TdmqEmulator.builder().ackTimeout(Duration.ofSeconds(5)).build().start()) {
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

    /** At least 256 concurrent long polls plus the load that sends to them. */
    static final int CONTAINER_THREADS = 330;

    private static final System.Logger LOG = System.getLogger(TdmqEmulator.class.getName());
    private static final Duration RESTART_RETRY = Duration.ofMillis(200);
    private static final int RESTART_ATTEMPTS = 50;

    private final int requestedPort;
    private final String secretId;
    private final String secretKey;
    private final Broker broker;
    private final Faults faults;
    private final RateLimiter rateLimiter;
    private final TdmqApi api;
    private final Settings settings;
    private final AdminEndpoint admin;

    private final Object lifecycle = new Object();
    private WireMockServer server;
    private volatile int port = -1;
    private volatile boolean refusing;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> pendingRestart;

    private TdmqEmulator(Builder builder) {
        this.requestedPort = builder.port;
        this.secretId = builder.secretId;
        this.secretKey = builder.secretKey;
        this.broker = new Broker(builder.autoCreateTopics, builder.defaultPartitions, builder.ackTimeout);
        builder.topics.forEach(broker::createTopic);
        this.faults = new Faults(builder.latency);
        this.rateLimiter = new RateLimiter(builder.rateLimit);
        CredentialStore credentials = new CredentialStore().add(builder.secretId, builder.secretKey);
        builder.moreCredentials.forEach(credentials::add);
        this.api = new TdmqApi(broker, faults, rateLimiter, credentials, builder.clock, builder.stringTokens,
                builder.receiveWait, builder.verifySignatures);
        this.settings = new Settings(broker, rateLimiter, api);
        this.admin = new AdminEndpoint(this);
    }

    /** A builder with the defaults: free port, default credentials, signatures checked, topics auto-created. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code builder().build().start()}. */
    public static TdmqEmulator startDefault() {
        return builder().build().start();
    }

    /**
     * Starts listening. Does nothing when already started.
     *
     * @return this
     */
    public TdmqEmulator start() {
        synchronized (lifecycle) {
            if (server == null && !refusing) {
                server = listen(requestedPort);
                port = server.port();
                LOG.log(System.Logger.Level.DEBUG, "TDMQ emulator listening on {0}", endpoint());
            }
            return this;
        }
    }

    /** Stops listening and drops pending restarts; the broker keeps its state. Does nothing when stopped. */
    public void stop() {
        synchronized (lifecycle) {
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
                pendingRestart = null;
            }
            refusing = false;
            if (server != null) {
                server.stop();
                server = null;
            }
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Whether the emulator is started (also during {@link #refuseConnections}, which ends by itself). */
    public boolean isRunning() {
        synchronized (lifecycle) {
            return server != null || refusing;
        }
    }

    /**
     * Stops listening, so that clients get "connection refused", and listens again on the same port after
     * {@code outage}, by itself. The broker keeps its state. Called again during an outage, it moves the end.
     */
    public void refuseConnections(Duration outage) {
        Objects.requireNonNull(outage, "outage");
        synchronized (lifecycle) {
            if (server == null && !refusing) {
                throw new IllegalStateException("The emulator is not started; start() it first.");
            }
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            if (server != null) {
                server.stop();
                server = null;
            }
            refusing = true;
            pendingRestart = timer().schedule(() -> listenAgain(RESTART_ATTEMPTS), outage.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Whether an outage started by {@link #refuseConnections} is in progress. */
    public boolean isRefusingConnections() {
        return refusing;
    }

    /** Starts an outage a moment from now, so that the admin call that asked for it still gets its answer. */
    void refuseConnectionsSoon(Duration outage) {
        synchronized (lifecycle) {
            timer().schedule(() -> refuseConnections(outage), 100, TimeUnit.MILLISECONDS);
        }
    }

    private void listenAgain(int attemptsLeft) {
        synchronized (lifecycle) {
            if (!refusing) {
                return;
            }
            try {
                server = listen(port);
                refusing = false;
                pendingRestart = null;
            } catch (RuntimeException portBusy) {
                if (attemptsLeft <= 1) {
                    LOG.log(System.Logger.Level.WARNING, "The emulator cannot listen again on port " + port
                            + " after the outage; it stays down. Stop it and start a new one.", portBusy);
                    refusing = false;
                    pendingRestart = null;
                    return;
                }
                pendingRestart = timer().schedule(() -> listenAgain(attemptsLeft - 1), RESTART_RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tdmq-emulator-outage");
                thread.setDaemon(true);
                return thread;
            });
        }
        return timer;
    }

    private WireMockServer listen(int onPort) {
        WireMockServer started = new WireMockServer(WireMockConfiguration.options()
                .bindAddress(HOST)
                .port(onPort)
                .http2PlainDisabled(true)
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .gzipDisabled(true)
                .containerThreads(CONTAINER_THREADS)
                .jettyAcceptors(1)
                .jettyStopTimeout(200L)
                // Latency is served from WireMock's scheduler, so a delayed answer holds no Jetty thread.
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER)
                .templatingEnabled(false)
                .extensionScanningEnabled(false)
                // WireMock would otherwise set JVM-wide XML factory properties, which is not ours to change.
                .disableOptimizeXmlFactoriesLoading(true)
                .mappingSource(NO_MAPPINGS)
                .notifier(new SystemLoggerNotifier())
                .extensions(api, admin));
        started.start();
        return started;
    }

    /** The port the emulator listens on. */
    public int port() {
        int current = port;
        if (current < 0) {
            throw new IllegalStateException("The emulator has no port yet; start() it first.");
        }
        return current;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://" + HOST + ":" + port();
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
        int current = port;
        return "TdmqEmulator[" + (current < 0 ? "not started" : endpoint()) + (refusing ? ", refusing connections" : "")
                + "]";
    }

    private static final MappingsSource NO_MAPPINGS = new MappingsSource() {
        @Override
        public void loadMappingsInto(StubMappings stubMappings) {
            // The emulator answers everything itself; it never loads WireMock stub files.
        }

        @Override
        public void save(List<StubMapping> stubMappings) {
        }

        @Override
        public void save(StubMapping stubMapping) {
        }

        @Override
        public void remove(StubMapping stubMapping) {
        }

        @Override
        public void removeAll() {
        }
    };

    /** Configures a {@link TdmqEmulator}. Every setting has a default; see each method. */
    public static final class Builder {

        private int port;
        private String secretId = DEFAULT_SECRET_ID;
        private String secretKey = DEFAULT_SECRET_KEY;
        private final List<CredentialStore.Credential> moreCredentials = new ArrayList<>();
        private boolean verifySignatures = true;
        private boolean autoCreateTopics = true;
        private int defaultPartitions = 1;
        private final Map<String, Integer> topics = new LinkedHashMap<>();
        private final Set<String> stringTokens = new LinkedHashSet<>();
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration receiveWait = Duration.ofSeconds(1);
        private int rateLimit;
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

        /** The primary key pair; defaults to {@value #DEFAULT_SECRET_ID} / {@value #DEFAULT_SECRET_KEY}. */
        public Builder credentials(String secretId, String secretKey) {
            if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
                throw new IllegalArgumentException("secretId and secretKey must not be blank");
            }
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

        /** Whether to check TC3-HMAC-SHA256 signatures; default true. */
        public Builder verifySignatures(boolean verifySignatures) {
            this.verifySignatures = verifySignatures;
            return this;
        }

        /**
         * Whether a send or receive on an unknown topic creates it (default true). False is strict: unknown topics
         * answer InvalidParameterValue.TopicNotFound, and only {@link #topic} or the broker create them.
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

        /** Creates a topic at start; 0 partitions makes it non-partitioned. */
        public Builder topic(String topic, int partitions) {
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must not be negative, was " + partitions);
            }
            topics.put(Objects.requireNonNull(topic, "topic"), partitions);
            return this;
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

        /** Requests per second per action before RequestLimitExceeded; 0 (the default) is off. */
        public Builder rateLimit(int requestsPerSecond) {
            if (requestsPerSecond < 0) {
                throw new IllegalArgumentException("rateLimit must not be negative, was " + requestsPerSecond);
            }
            this.rateLimit = requestsPerSecond;
            return this;
        }

        /** The service's own limit: {@value RateLimiter#SERVICE_LIMIT} requests per second per action. */
        public Builder rateLimitOn() {
            return rateLimit(RateLimiter.SERVICE_LIMIT);
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
