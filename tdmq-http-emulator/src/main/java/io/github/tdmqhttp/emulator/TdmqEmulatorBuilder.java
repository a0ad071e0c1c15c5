package io.github.tdmqhttp.emulator;

import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.fault.Latency;
import io.github.tdmqhttp.emulator.fault.RateLimiter;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.model.TopicName;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import io.github.tdmqhttp.emulator.wire.CredentialStore;
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
 * Configures a {@link TdmqEmulator}: {@code TdmqEmulator.builder()...build()}. Every setting has a default; see each
 * method.
 */
public final class TdmqEmulatorBuilder {

    /** A topic the builder declares. */
    record DeclaredTopic(int partitions, TopicOptions options) {
    }

    int port;
    boolean https;
    int httpsPort;
    Path keyStore;
    String keyStorePassword;
    String secretId = TdmqEmulator.DEFAULT_SECRET_ID;
    String secretKey = TdmqEmulator.DEFAULT_SECRET_KEY;
    final List<CredentialStore.Credential> moreCredentials = new ArrayList<>();
    final Map<String, Set<String>> deniedActions = new LinkedHashMap<>();
    boolean verifySignatures = true;
    boolean autoCreateTopics;
    int defaultPartitions = 1;
    final Map<String, DeclaredTopic> topics = new LinkedHashMap<>();
    int maxUnacknowledgedMessages = Broker.DEFAULT_MAX_UNACKNOWLEDGED_MESSAGES;
    boolean serviceSideBatching = true;
    final Set<String> stringTokens = new LinkedHashSet<>();
    Duration ackTimeout = Duration.ofSeconds(30);
    Duration receiveWait = Duration.ofSeconds(1);
    int maxResponseBytes;
    int rateLimit = RateLimiter.SERVICE_LIMIT;
    boolean shareProducerNames;
    Long firstLedgerId;
    Latency latency = Latency.NONE;
    Clock clock = Clock.systemUTC();

    TdmqEmulatorBuilder() {
    }

    /** The port on 127.0.0.1; 0 (the default) takes a free one. */
    public TdmqEmulatorBuilder port(int port) {
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
    public TdmqEmulatorBuilder https() {
        this.https = true;
        return this;
    }

    /**
     * Serves HTTPS as well as HTTP with the key and certificate of a key store of your own (PKCS12, or JKS when
     * the name ends with .jks; the key's password is the store's).
     */
    public TdmqEmulatorBuilder https(Path keyStore, String password) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.keyStorePassword = Objects.requireNonNull(password, "password");
        this.https = true;
        return this;
    }

    /** The HTTPS port on 127.0.0.1; 0 (the default) takes a free one. Only with {@link #https()}. */
    public TdmqEmulatorBuilder httpsPort(int httpsPort) {
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new IllegalArgumentException("httpsPort must be 0-65535, was " + httpsPort);
        }
        this.httpsPort = httpsPort;
        return this;
    }

    /**
     * The primary key pair; defaults to {@value TdmqEmulator#DEFAULT_SECRET_ID} / {@value TdmqEmulator#DEFAULT_SECRET_KEY}. The SecretId
     * must start with {@code AKID}, as those of Tencent Cloud API keys do.
     */
    public TdmqEmulatorBuilder credentials(String secretId, String secretKey) {
        if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("secretId and secretKey must not be blank");
        }
        new CredentialStore.Credential(secretId, secretKey, null, null);
        this.secretId = secretId;
        this.secretKey = secretKey;
        return this;
    }

    /** One more accepted permanent key pair. */
    public TdmqEmulatorBuilder addCredentials(String secretId, String secretKey) {
        moreCredentials.add(new CredentialStore.Credential(secretId, secretKey, null, null));
        return this;
    }

    /**
     * Accepted temporary credentials: requests must carry {@code sessionToken} in X-TC-Token, and fail with
     * AuthFailure.TokenFailure from {@code expiresAt} on (by the emulator's {@link #clock}).
     */
    public TdmqEmulatorBuilder addTemporaryCredentials(String secretId, String secretKey, String sessionToken,
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
    public TdmqEmulatorBuilder denyActions(String secretId, String... actions) {
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
    public TdmqEmulatorBuilder verifySignatures(boolean verifySignatures) {
        this.verifySignatures = verifySignatures;
        return this;
    }

    /**
     * Whether a send or receive on an unknown topic creates it, with {@link #defaultPartitions} partitions. Off by
     * default, as on the service, where a topic exists once it is created in the console and any other answers
     * InvalidParameterValue.TopicNotFound: declare topics with {@link #topic}, the broker, the admin API or
     * {@link TdmqTopic}. On is a leniency: a mistyped topic then works locally and fails in the cloud.
     */
    public TdmqEmulatorBuilder autoCreateTopics(boolean autoCreateTopics) {
        this.autoCreateTopics = autoCreateTopics;
        return this;
    }

    /** Partitions of auto-created topics; default 1 (partitioned, so ReceiveMessage works); 0 = non-partitioned. */
    public TdmqEmulatorBuilder defaultPartitions(int defaultPartitions) {
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
    public TdmqEmulatorBuilder topic(String topic, int partitions) {
        return topic(topic, partitions, TopicOptions.DEFAULTS);
    }

    /**
     * Declares a topic with settings of its own, as CreateTopic sets them: its ack timeout (AckTimeOut, used to
     * redeliver what its subscriptions do not acknowledge) and its limit of unacknowledged messages per
     * subscription and partition. What {@code options} leaves null follows the emulator's defaults
     * ({@link #ackTimeout}, {@link #maxUnacknowledgedMessages}).
     */
    public TdmqEmulatorBuilder topic(String topic, int partitions, TopicOptions options) {
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
    public TdmqEmulatorBuilder topic(String topic) {
        return topic(topic, 1);
    }

    /**
     * Role tokens. When any is configured, SendMessages and SendBatchMessages must carry one of them in
     * StringToken, else InvalidParameter.TokenNotFound. None by default.
     */
    public TdmqEmulatorBuilder stringTokens(String... tokens) {
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
    public TdmqEmulatorBuilder maxUnacknowledgedMessages(int maxUnacknowledgedMessages) {
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
    public TdmqEmulatorBuilder noUnacknowledgedLimit() {
        return maxUnacknowledgedMessages(0);
    }

    /**
     * Whether SendBatchMessages calls are aggregated into batch entries, as the TDMQ-HTTP service does (API
     * reference 1110/44130): calls to one topic within the request's BatchingMaxPublishDelay and under its
     * BatchingMaxMessages and BatchingMaxBytes share ledger:entry:partition and differ in batch index, and each
     * call is answered when its batch is published. Default true. False is a leniency: each call is stored alone
     * in an entry and answered at once, as SendMessages is.
     */
    public TdmqEmulatorBuilder serviceSideBatching(boolean serviceSideBatching) {
        this.serviceSideBatching = serviceSideBatching;
        return this;
    }

    /** How long a delivered, unacknowledged message stays in flight before it is delivered again; default 30 s. */
    public TdmqEmulatorBuilder ackTimeout(Duration ackTimeout) {
        if (ackTimeout == null || ackTimeout.isZero() || ackTimeout.isNegative()) {
            throw new IllegalArgumentException("ackTimeout must be positive, was " + ackTimeout);
        }
        this.ackTimeout = ackTimeout;
        return this;
    }

    /** How long a single-message ReceiveMessage waits before FailedOperation.ReceiveTimeout; default 1 s. */
    public TdmqEmulatorBuilder receiveWait(Duration receiveWait) {
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
    public TdmqEmulatorBuilder maxResponseBytes(int maxResponseBytes) {
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
    public TdmqEmulatorBuilder rateLimit(int requestsPerSecond) {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("rateLimit must not be negative, was " + requestsPerSecond);
        }
        this.rateLimit = requestsPerSecond;
        return this;
    }

    /** The service's own limit, the default: {@value RateLimiter#SERVICE_LIMIT} requests per second per action. */
    public TdmqEmulatorBuilder rateLimitOn() {
        return rateLimit(RateLimiter.SERVICE_LIMIT);
    }

    /**
     * A leniency: no rate limit at all, for load tests and benchmarks that call one action faster than the
     * service would allow. {@code rateLimit(0)}.
     */
    public TdmqEmulatorBuilder noRateLimit() {
        return rateLimit(0);
    }

    /**
     * Whether concurrent sends may use one ProducerName. Off by default: the reference says a ProducerName must
     * be globally unique, and the service creates a producer per call, so a send under a name that a send in
     * flight holds answers FailedOperation.CreateProducerError. On is a leniency: every such send passes.
     */
    public TdmqEmulatorBuilder shareProducerNames(boolean shareProducerNames) {
        this.shareProducerNames = shareProducerNames;
        return this;
    }

    /**
     * The ledger id of the first partition; later ones count up. By default a random number, so that message ids
     * differ from run to run as on the service; fix it where a test needs the same ids every run.
     */
    public TdmqEmulatorBuilder firstLedgerId(long firstLedgerId) {
        if (firstLedgerId < 0) {
            throw new IllegalArgumentException("firstLedgerId must not be negative, was " + firstLedgerId);
        }
        this.firstLedgerId = firstLedgerId;
        return this;
    }

    /** Time added to every API answer: {@code fixed} plus a random part up to {@code jitter}; default none. */
    public TdmqEmulatorBuilder latency(Duration fixed, Duration jitter) {
        this.latency = new Latency(fixed, jitter);
        return this;
    }

    /** The emulator's notion of now, for signature timestamps and temporary credentials; default system UTC. */
    public TdmqEmulatorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The emulator, not yet listening: call {@link TdmqEmulator#start()}. */
    public TdmqEmulator build() {
        return new TdmqEmulator(this);
    }
}
