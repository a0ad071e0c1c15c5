package io.github.tdmqhttp.camel;

import java.util.Set;

import com.tencentcloudapi.common.provider.CredentialsProvider;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.ObjectHelper;

/**
 * Every option of the tdmq-http component. The component holds one instance as the defaults of its endpoints; each
 * endpoint works on a copy. The documentation here is the single source of the generated metadata, the Spring Boot
 * properties and the README's option table.
 */
@UriParams
@Configurer
public class TdmqHttpConfiguration implements Cloneable {

    /** Pulsar's own default for a batch receive: one poll's payloads stay far from a small heap. */
    public static final int DEFAULT_MAX_NUM_BYTES = 10 * 1024 * 1024;

    /** The public TDMQ API endpoint. */
    public static final String DEFAULT_ENDPOINT = "tdmq.tencentcloudapi.com";

    /** The options marked secret, which belong in component options or beans rather than in endpoint URIs. */
    static final Set<String> SECRET_OPTIONS = Set.of("secretId", "secretKey", "sessionToken", "stringToken",
            "proxyUsername", "proxyPassword");
    /** The secret options that are API keys, which the SDK can also find by itself. */
    static final Set<String> CREDENTIAL_OPTIONS = Set.of("secretId", "secretKey", "sessionToken");

    @UriPath(description = "The full topic path: cluster-id/namespace/topic, e.g. pulsar-xxxx/sdk_http/topic1."
                           + " The cluster id is the Pulsar tenant.")
    @Metadata(required = true)
    private String topic;

    // Connection

    @UriParam(label = "common")
    @Metadata(required = true, important = true)
    private String region;
    @UriParam(label = "common", defaultValue = DEFAULT_ENDPOINT)
    private String endpoint = DEFAULT_ENDPOINT;
    @UriParam(label = "common,advanced", defaultValue = "10000", javaType = "java.time.Duration")
    private long connectTimeout = 10_000;
    @UriParam(label = "common,advanced", defaultValue = "30000", javaType = "java.time.Duration")
    private long readTimeout = 30_000;
    @UriParam(label = "common,advanced", defaultValue = "30000", javaType = "java.time.Duration")
    private long writeTimeout = 30_000;
    @UriParam(label = "common,advanced")
    @Metadata(autowired = true)
    private TdmqClient client;
    @UriParam(label = "common", defaultValue = "TEXT")
    private PayloadEncoding payloadEncoding = PayloadEncoding.TEXT;
    @UriParam(label = "common", defaultValue = "RAW")
    private MessageFormat messageFormat = MessageFormat.RAW;
    @UriParam(label = "common,advanced")
    private HeaderFilterStrategy headerFilterStrategy;

    // Retry of sends and acknowledgements

    @UriParam(label = "common,advanced", defaultValue = "5")
    private int maxRetries = 5;
    @UriParam(label = "common,advanced", defaultValue = "200", javaType = "java.time.Duration")
    private long retryInitialDelay = 200;
    @UriParam(label = "common,advanced", defaultValue = "5000", javaType = "java.time.Duration")
    private long retryMaxDelay = 5_000;
    @UriParam(label = "common,advanced", defaultValue = "2.0")
    private double retryMultiplier = 2.0;
    @UriParam(label = "common,advanced", defaultValue = "1000")
    private int maxRequestsPerSecond = 1000;
    @UriParam(label = "common,advanced", defaultValue = "true")
    private boolean metricsEnabled = true;

    // Proxy

    @UriParam(label = "proxy")
    private String proxyHost;
    @UriParam(label = "proxy")
    private Integer proxyPort;
    @UriParam(label = "proxy", secret = true)
    private String proxyUsername;
    @UriParam(label = "proxy", secret = true)
    private String proxyPassword;

    // Security

    @UriParam(label = "security", secret = true)
    private String secretId;
    @UriParam(label = "security", secret = true)
    private String secretKey;
    @UriParam(label = "security", secret = true)
    private String sessionToken;
    @UriParam(label = "security,advanced")
    private CredentialsProvider credentialsProvider;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;

    // Producer

    @UriParam(label = "producer", defaultValue = "send")
    private TdmqHttpOperation operation = TdmqHttpOperation.send;
    @UriParam(label = "producer,security", secret = true)
    private String stringToken;
    @UriParam(label = "producer")
    private String producerName;
    @UriParam(label = "producer,advanced")
    private Long sendTimeout;
    @UriParam(label = "producer,advanced")
    private Long maxPendingMessages;
    @UriParam(label = "producer", defaultValue = "128")
    private int maxSendsInFlight = 128;
    @UriParam(label = "producer", defaultValue = "false")
    private boolean batching;
    @UriParam(label = "producer,advanced")
    private Long batchingMaxMessages;
    @UriParam(label = "producer,advanced")
    private Long batchingMaxPublishDelay;
    @UriParam(label = "producer,advanced")
    private Long batchingMaxBytes;

    // Consumer

    @UriParam(label = "consumer")
    @Metadata(important = true)
    private String subscription;
    @UriParam(label = "consumer", defaultValue = "Earliest")
    private SubInitialPosition subInitialPosition = SubInitialPosition.Earliest;
    @UriParam(label = "consumer", defaultValue = "32")
    private int maxMessagesPerPoll = 32;
    @UriParam(label = "consumer,advanced")
    private Integer receiverQueueSize;
    @UriParam(label = "consumer,advanced", defaultValue = "10485760")
    private Integer maxNumBytes = DEFAULT_MAX_NUM_BYTES;
    @UriParam(label = "consumer", defaultValue = "100", javaType = "java.time.Duration")
    private long batchReceiveTimeout = 100;
    @UriParam(label = "consumer", defaultValue = "1")
    private int concurrentConsumers = 1;
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean autoAck = true;
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean exchangePerBatch;
    @UriParam(label = "consumer", defaultValue = "128")
    private int maxAcksInFlight = 128;
    @UriParam(label = "consumer", defaultValue = "4")
    private int maxReceivesInFlight = 4;
    @UriParam(label = "consumer", defaultValue = "1000")
    private int maxUnacknowledgedMessages = 1000;
    @UriParam(label = "consumer", defaultValue = "30000", javaType = "java.time.Duration")
    private long ackTimeout = 30_000;
    @UriParam(label = "consumer", defaultValue = "0")
    private int maxDeliveries;
    @UriParam(label = "consumer")
    private String deadLetterTopic;
    @UriParam(label = "consumer", defaultValue = "TOPIC_SUBSCRIPTION_DLQ")
    private DeadLetterTopicNaming deadLetterTopicNaming = DeadLetterTopicNaming.TOPIC_SUBSCRIPTION_DLQ;
    @UriParam(label = "consumer,advanced")
    private TdmqHttpDeliveryCountStore deliveryCountStore;

    public String getTopic() {
        return topic;
    }

    /**
     * The full topic path: cluster-id/namespace/topic, e.g. pulsar-xxxx/sdk_http/topic1. The cluster id is the Pulsar
     * tenant. Also taken with the persistent:// prefix the console shows, and as a name alone, which the API takes as
     * public/default/name; either is sent as the full path.
     */
    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getRegion() {
        return region;
    }

    /**
     * The region of the TDMQ cluster, e.g. ap-guangzhou, ap-shanghai, ap-singapore. Required unless a client is given.
     */
    public void setRegion(String region) {
        this.region = region;
    }

    public String getEndpoint() {
        return endpoint;
    }

    /**
     * The API host, or a URL with scheme and port for a server of your own, e.g. http://127.0.0.1:9090 for the local
     * emulator. The international site uses tdmq.intl.tencentcloudapi.com. A host alone is reached over HTTPS.
     */
    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * How long to wait for a connection to the endpoint. The SDK counts whole seconds, so this is rounded up to one.
     * Between 1 ms and 2147483000 ms (about 24 days), the most the SDK's HTTP client takes.
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getReadTimeout() {
        return readTimeout;
    }

    /**
     * How long to wait for an answer; must exceed batchReceiveTimeout, as ReceiveMessage holds the call while it waits
     * for messages. Rounded up to whole seconds. Never infinite: the SDK's own default of 0 would wait forever.
     * Between 1 ms and 2147483000 ms (about 24 days), the most the SDK's HTTP client takes.
     */
    public void setReadTimeout(long readTimeout) {
        this.readTimeout = readTimeout;
    }

    public long getWriteTimeout() {
        return writeTimeout;
    }

    /**
     * How long to wait while sending a request. Rounded up to whole seconds. Between 1 ms and 2147483000 ms (about 24
     * days), the most the SDK's HTTP client takes.
     */
    public void setWriteTimeout(long writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public TdmqClient getClient() {
        return client;
    }

    /**
     * A TdmqClient of your own (a bean; autowired when exactly one exists). Connection, proxy and security options are
     * then ignored: the client already has its credentials, region and HTTP profile. The SDK reads its credential
     * as it always does, so one that renews itself (CVM role, STS) can sign a call with parts of two generations
     * while many calls are in flight (AuthFailure.SignatureFailure or TokenFailure now and then): give such a
     * credential as a credentialsProvider instead.
     */
    public void setClient(TdmqClient client) {
        this.client = client;
    }

    public PayloadEncoding getPayloadEncoding() {
        return payloadEncoding;
    }

    /**
     * How bodies travel in the JSON Payload field. TEXT sends UTF-8 text as is and refuses bytes that are not UTF-8;
     * BASE64 sends any bytes base64-encoded and is the only safe choice for binary data, and for batch receive of
     * payloads that may contain ###. Producers and consumers of a topic must use the same encoding.
     */
    public void setPayloadEncoding(PayloadEncoding payloadEncoding) {
        this.payloadEncoding = payloadEncoding;
    }

    public MessageFormat getMessageFormat() {
        return messageFormat;
    }

    /**
     * What a payload holds. RAW (the default) is the body alone: TDMQ's HTTP API has no message properties, key,
     * event time or delayed delivery, so no header crosses the topic. CLOUDEVENTS wraps the body in a CloudEvent (JSON structured mode): its content type,
     * an idempotency key (header CamelTdmqHttpIdempotencyKey) and the headers the headerFilterStrategy lets through
     * (traceparent among them) cross the topic, and any CloudEvents client can read and write it. Its consumer
     * delivers a payload that is not a CloudEvent as it is. Needs io.cloudevents:cloudevents-json-jackson.
     */
    public void setMessageFormat(MessageFormat messageFormat) {
        this.messageFormat = messageFormat;
    }

    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    /**
     * With messageFormat=CLOUDEVENTS: which headers cross the topic. The default carries every header but Camel's own
     * and those whose names suggest a secret, and keeps a sender from setting Camel headers on the receiving route. A
     * header crosses only with a name of letters and digits (CloudEvents' rule; its case is lost) and a text, number
     * or boolean value; others are left out with a warning.
     */
    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    /**
     * How many times the component tries a failed call again by itself, only when repeating it is safe: a send whose
     * message was certainly not stored (throttling, a refused connection), an acknowledgement that failed for a
     * reason a retry can help (acknowledgements are idempotent). Every other failure reaches the route at once,
     * including a send whose message may be stored (a lost answer, InternalError), which is never repeated on a guess.
     * The retries wait on the route's thread, with exponential backoff and jitter; Camel's redelivery comes on top and
     * multiplies them, so set 0 where the route redelivers. 0 or more.
     */
    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getRetryInitialDelay() {
        return retryInitialDelay;
    }

    /**
     * The backoff before the first retry; each further retry waits retryMultiplier times longer, up to retryMaxDelay.
     * Every wait is shortened by a random part of up to half of it, so that many clients do not retry in step. 0 or
     * more.
     */
    public void setRetryInitialDelay(long retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    /**
     * The longest backoff between two retries; not shorter than retryInitialDelay.
     */
    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public double getRetryMultiplier() {
        return retryMultiplier;
    }

    /**
     * How much longer each backoff is than the one before; 1.0 (every backoff as long as the first) or more.
     */
    public void setRetryMultiplier(double retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    public int getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    /**
     * The most calls of one API action (SendMessages, ReceiveMessage, AcknowledgeMessage...) per second, spaced
     * evenly. TDMQ allows 1000 a second per action, API region and CAM sub-account, and throttles beyond; staying under
     * the quota is faster than being throttled and backing off. Every endpoint of the JVM that spends the same quota
     * (the same secretId or credentials source, region and API host, in any component) shares one limit, which runs at
     * the lowest value among them. When the service throttles anyway (other applications use the same keys), the rate
     * halves and is won back gradually. 0 removes the limit for that endpoint (for a server of your own); below 0 is
     * refused.
     */
    public void setMaxRequestsPerSecond(int maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public boolean isMetricsEnabled() {
        return metricsEnabled;
    }

    /**
     * Whether consumers and producers publish their figures (messages received, acknowledged, sent, failures,
     * retries, call latency per action...) as Micrometer meters whose names start with tdmq.http, when Micrometer is
     * on the classpath: in the MeterRegistry of the Camel registry (in Spring Boot, the application's), else Micrometer's
     * global registry. Without Micrometer this does nothing. The figures shown by JMX, the tdmq-http dev console and
     * the health details are kept either way.
     */
    public void setMetricsEnabled(boolean metricsEnabled) {
        this.metricsEnabled = metricsEnabled;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    /**
     * An HTTP proxy to reach the endpoint through.
     */
    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    /**
     * The port of the HTTP proxy.
     */
    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public String getProxyUsername() {
        return proxyUsername;
    }

    /**
     * The user name for the HTTP proxy, if it asks for one.
     */
    public void setProxyUsername(String proxyUsername) {
        this.proxyUsername = proxyUsername;
    }

    public String getProxyPassword() {
        return proxyPassword;
    }

    /**
     * The password for the HTTP proxy.
     */
    public void setProxyPassword(String proxyPassword) {
        this.proxyPassword = proxyPassword;
    }

    public String getSecretId() {
        return secretId;
    }

    /**
     * The SecretId of a Tencent Cloud API key (CAM). With neither secretId nor secretKey, the SDK's default chain is
     * used: the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, then the profile file
     * ~/.tencentcloud/credentials, then the role of the CVM instance, then TKE OIDC. Set it on the component
     * (camel.component.tdmq-http.secret-id), not in an endpoint URI, where Camel shows it in clear.
     */
    public void setSecretId(String secretId) {
        this.secretId = secretId;
    }

    public String getSecretKey() {
        return secretKey;
    }

    /**
     * The SecretKey that goes with secretId. It signs every request and is never sent, logged or shown by the
     * component. Set it on the component (camel.component.tdmq-http.secret-key), not in an endpoint URI: Camel shows
     * URI options in clear in its DEBUG logs, route dumps and JMX.
     */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSessionToken() {
        return sessionToken;
    }

    /**
     * The token of temporary credentials (STS), sent with secretId and secretKey when they are temporary. Set it on
     * the component (camel.component.tdmq-http.session-token), not in an endpoint URI, where Camel shows it in clear.
     */
    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
    }

    public CredentialsProvider getCredentialsProvider() {
        return credentialsProvider;
    }

    /**
     * Where to get credentials when secretId and secretKey are not set; by default the SDK's
     * DefaultCredentialsProvider chain (environment, profile file, CVM role, TKE OIDC). Asked once, when an endpoint
     * starts; a credential that renews itself (as the SDK's CVM role, STS and OIDC credentials do) is read so that
     * each call is signed with one generation of it.
     */
    public void setCredentialsProvider(CredentialsProvider credentialsProvider) {
        this.credentialsProvider = credentialsProvider;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * The TLS settings of the HTTPS connection to the endpoint (a bean): which certificates to trust, for a private
     * endpoint, an inspecting proxy or a local server with a certificate of its own, and a client certificate if one
     * is needed. By default the JVM's trust store. The trust managers must include an X509TrustManager.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public TdmqHttpOperation getOperation() {
        return operation;
    }

    /**
     * What the producer does: send the body as a message, or acknowledge the received message (for consumers with
     * autoAck=false), named by the CamelTdmqHttpReceipt exchange property the consumer sets, or else by the
     * CamelTdmqHttpMessageId, CamelTdmqHttpAckTopic and CamelTdmqHttpSubscription headers.
     */
    public void setOperation(TdmqHttpOperation operation) {
        this.operation = operation;
    }

    public String getStringToken() {
        return stringToken;
    }

    /**
     * The role key (StringToken) from the console's Role Management page, for a role allowed to produce on the
     * namespace. Set it on the component (camel.component.tdmq-http.string-token), not in an endpoint URI, where Camel
     * shows it in clear.
     */
    public void setStringToken(String stringToken) {
        this.stringToken = stringToken;
    }

    public String getProducerName() {
        return producerName;
    }

    /**
     * The ProducerName sent with each message; the official examples use the role name from Role Management. TDMQ
     * allows one send under a ProducerName at a time (another fails with FailedOperation.CreateProducerError, which
     * is retried), so it needs maxSendsInFlight=1. Leave it out unless the role requires it.
     */
    public void setProducerName(String producerName) {
        this.producerName = producerName;
    }

    public Long getSendTimeout() {
        return sendTimeout;
    }

    /**
     * The SendTimeout of the server-side producer, passed through as is. The API reference says seconds (default 30)
     * while the official examples pass 3000; not sent when unset, so the server's default applies.
     */
    public void setSendTimeout(Long sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Long getMaxPendingMessages() {
        return maxPendingMessages;
    }

    /**
     * The MaxPendingMessages of the server-side producer (server default 1000); not sent when unset.
     */
    public void setMaxPendingMessages(Long maxPendingMessages) {
        this.maxPendingMessages = maxPendingMessages;
    }

    public int getMaxSendsInFlight() {
        return maxSendsInFlight;
    }

    /**
     * For collection bodies (a List, a Set...), how many SendMessages calls run at once, for all the exchanges going
     * through the endpoint's producer together. The API has no multi-message send, so this is what makes a list fast:
     * calls in flight divided by the round trip is the most messages a second (128 reach the quota up to 120 ms).
     * While the client-side limiter holds the rate (maxRequestsPerSecond), the producer keeps fewer: twice the rate
     * times the quickest recent round trip, plus 4, which keeps the rate without idle connections for the SDK to
     * close. Threads are started as calls need them. Elements may then reach the topic out of order (set 1 to keep
     * the order).
     */
    public void setMaxSendsInFlight(int maxSendsInFlight) {
        this.maxSendsInFlight = maxSendsInFlight;
    }

    public boolean isBatching() {
        return batching;
    }

    /**
     * Send with SendBatchMessages, which lets the server-side producer group messages into Pulsar batches. Each call
     * still carries one message.
     */
    public void setBatching(boolean batching) {
        this.batching = batching;
    }

    public Long getBatchingMaxMessages() {
        return batchingMaxMessages;
    }

    /**
     * With batching: the most messages in one Pulsar batch (BatchingMaxMessages, server default 1000); not sent when
     * unset.
     */
    public void setBatchingMaxMessages(Long batchingMaxMessages) {
        this.batchingMaxMessages = batchingMaxMessages;
    }

    public Long getBatchingMaxPublishDelay() {
        return batchingMaxPublishDelay;
    }

    /**
     * With batching: how long in milliseconds the server-side producer waits to fill a batch
     * (BatchingMaxPublishDelay, server default 10); not sent when unset.
     */
    public void setBatchingMaxPublishDelay(Long batchingMaxPublishDelay) {
        this.batchingMaxPublishDelay = batchingMaxPublishDelay;
    }

    public Long getBatchingMaxBytes() {
        return batchingMaxBytes;
    }

    /**
     * With batching: the largest batch in bytes (BatchingMaxBytes, server default 131072); not sent when unset.
     */
    public void setBatchingMaxBytes(Long batchingMaxBytes) {
        this.batchingMaxBytes = batchingMaxBytes;
    }

    public String getSubscription() {
        return subscription;
    }

    /**
     * The subscription to receive with (SubscriptionName); required by the consumer. Consumers on the same
     * subscription, in this or other applications, share its messages: each message goes to one of them.
     */
    public void setSubscription(String subscription) {
        this.subscription = subscription;
    }

    public SubInitialPosition getSubInitialPosition() {
        return subInitialPosition;
    }

    /**
     * Where a new subscription starts: Earliest (the oldest retained message, so nothing sent before the route first
     * started is missed) or Latest (only messages sent from then on). Always sent, because the API's documents
     * disagree on its default. It matters only the first time TDMQ sees the subscription.
     */
    public void setSubInitialPosition(SubInitialPosition subInitialPosition) {
        this.subInitialPosition = subInitialPosition;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    /**
     * The most messages one poll receives. Above 1, polls use batch receive (MaxNumMessages), and a poll that returns a
     * full batch is followed at once by the next, so a backlog drains without waiting for the scheduler's delay. 1
     * receives one message per call. Larger batches mean fewer calls; each message of a batch waits for the ones
     * before it, so keep batches small enough to finish within the subscription's ack timeout.
     */
    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public Integer getReceiverQueueSize() {
        return receiverQueueSize;
    }

    /**
     * The ReceiverQueueSize of the server-side consumer (server default 1000). It caps maxMessagesPerPoll, so it may
     * not be smaller. Not sent when unset.
     */
    public void setReceiverQueueSize(Integer receiverQueueSize) {
        this.receiverQueueSize = receiverQueueSize;
    }

    public Integer getMaxNumBytes() {
        return maxNumBytes;
    }

    /**
     * With batch receive: the most payload bytes one poll receives (MaxNumBytes). The default, 10 MB as in Pulsar's
     * own batch receive, bounds the memory of a poll whatever the message size: a poller holds about five times this
     * while it reads and splits a batch (see Memory in docs/receiving.md). 0 sends no limit.
     */
    public void setMaxNumBytes(Integer maxNumBytes) {
        this.maxNumBytes = maxNumBytes;
    }

    public long getBatchReceiveTimeout() {
        return batchReceiveTimeout;
    }

    /**
     * With batch receive: how long the server waits to fill a batch before it answers with what it has (Timeout). A
     * longer wait gives fuller batches on a slow topic at the cost of latency. Must be shorter than readTimeout.
     */
    public void setBatchReceiveTimeout(long batchReceiveTimeout) {
        this.batchReceiveTimeout = batchReceiveTimeout;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    /**
     * How many pollers receive and process in parallel, each on its own thread. Needs Camel's default scheduler: with
     * scheduler=spring or quartz there is one poller (and a warning).
     */
    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public boolean isExchangePerBatch() {
        return exchangePerBatch;
    }

    /**
     * One exchange per received batch instead of one per message: the body is a List of the payloads (decoded as
     * payloadEncoding and messageFormat say), the ids are in the list headers CamelTdmqHttpMessageIds and
     * CamelTdmqHttpReceiptIds, and each message with its own headers is in the exchange property
     * CamelTdmqHttpBatchMessages. Every message of the batch is acknowledged when the exchange succeeds, none when it
     * fails (each counts a failed delivery, and goes to the dead letter topic after maxDeliveries). A batch holds at
     * most maxMessagesPerPoll messages and maxNumBytes of payload; every receive is a batch receive, and
     * batchReceiveTimeout is how long the server waits to fill it. Named apart from the producer's batching, which
     * groups sends on the server.
     */
    public void setExchangePerBatch(boolean exchangePerBatch) {
        this.exchangePerBatch = exchangePerBatch;
    }

    public boolean isAutoAck() {
        return autoAck;
    }

    /**
     * Acknowledge each message when its exchange completes successfully (a failed exchange is not acknowledged, so
     * TDMQ delivers it again after its ack timeout: the HTTP API has no negative acknowledgement). An exchange
     * handled by onException(...).handled(true) or a dead letter channel counts as successful and is acknowledged.
     * With false, the route acknowledges with a producer using operation=acknowledge.
     */
    public void setAutoAck(boolean autoAck) {
        this.autoAck = autoAck;
    }

    public int getMaxAcksInFlight() {
        return maxAcksInFlight;
    }

    /**
     * How many AcknowledgeMessage calls a consumer runs at once. Acknowledgements are sent in the background, so the
     * route goes on with the next message while they travel; the API has no multi-message ack, so calls in flight
     * divided by the round trip bounds the messages a second a consumer can finish (128 reach the quota up to
     * 120 ms). Threads are started as calls need them, and a free one is used before a new one starts. When
     * acknowledgements fall behind by more than 32 per call, a poller acknowledges its own, which slows it down
     * instead of letting unacknowledged work pile up.
     */
    public void setMaxAcksInFlight(int maxAcksInFlight) {
        this.maxAcksInFlight = maxAcksInFlight;
    }

    public int getMaxUnacknowledgedMessages() {
        return maxUnacknowledgedMessages;
    }

    /**
     * The most received messages a consumer holds before they are acknowledged (with those its receives in flight
     * asked for). The consumer holds fewer when its acknowledgements could not settle that many before their ack
     * deadline: its share of the AcknowledgeMessage quota (the rate acknowledgements go at, the limiter's or less when
     * they were measured slower, divided by the consumers that spend it) times a quarter of the ackTimeout; a receive
     * then asks for fewer messages, or waits for acknowledgements. TDMQ stops delivering to a subscription that has
     * 5,000 unacknowledged messages on a partition (its default UnackPolicy): keep the sum over the applications that
     * share a subscription below that.
     */
    public void setMaxUnacknowledgedMessages(int maxUnacknowledgedMessages) {
        this.maxUnacknowledgedMessages = maxUnacknowledgedMessages;
    }

    public int getMaxReceivesInFlight() {
        return maxReceivesInFlight;
    }

    /**
     * The most ReceiveMessage calls a consumer starts ahead, while its pollers process what the previous ones
     * brought, so that the round trip to the API does not bound the rate. The consumer adapts the number to the
     * measured round trip and processing time: one while the topic is quiet (a single-message receive waiting on the
     * server), more while messages flow faster than one receive per round trip brings them. With more than one,
     * messages of receives in flight at the same time may be processed out of order; 1 keeps the order of a poller.
     */
    public void setMaxReceivesInFlight(int maxReceivesInFlight) {
        this.maxReceivesInFlight = maxReceivesInFlight;
    }

    public long getAckTimeout() {
        return ackTimeout;
    }

    /**
     * The ack timeout of the subscription on the server: how long TDMQ waits for an acknowledgement before it
     * delivers a message again, possibly to another consumer. Tencent does not document the value for HTTP
     * subscriptions; 30 s is what the emulator assumes. The consumer never starts an exchange for a message whose
     * deadline is that close, and shrinks its batches when they take longer than half of it (the HTTP API cannot
     * extend a message's deadline). Set it to your subscription's value: longer than the server's risks the same
     * message being processed twice at once.
     */
    public void setAckTimeout(long ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    /**
     * After this many deliveries of a message whose exchange failed, the consumer sends its payload to the
     * deadLetterTopic and then acknowledges it, instead of letting TDMQ deliver it again forever. 0 (the default)
     * means no limit. Deliveries are counted by this application (see deliveryCountStore): the HTTP API carries no
     * redelivery count.
     */
    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    /**
     * Where a message goes after maxDeliveries failed deliveries: a full topic path, or a topic name in the
     * consumer's own cluster and namespace. Defaults to TDMQ's own name for the subscription's dead letter topic in
     * the same namespace, as deadLetterTopicNaming says (topic-subscription-DLQ: what the console creates for a
     * subscription made with automatic retry and dead letter queues on a 2.9 cluster). When the send fails the
     * message is not acknowledged.
     */
    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public DeadLetterTopicNaming getDeadLetterTopicNaming() {
        return deadLetterTopicNaming;
    }

    /**
     * The dead letter topic as a full path: the configured one, completed with the topic's cluster and namespace, or
     * TDMQ's own name for it (deadLetterTopicNaming). Internal: not an option, so Camel's tooling skips it.
     */
    public String deadLetterTopicPath() {
        String[] parts = getTopic().split("/");
        String namespace = parts[0] + "/" + parts[1] + "/";
        if (ObjectHelper.isEmpty(deadLetterTopic)) {
            return namespace + deadLetterTopicNaming.topicName(parts[2], getSubscription());
        }
        return deadLetterTopic.contains("/") ? deadLetterTopic.strip() : namespace + deadLetterTopic.strip();
    }

    /**
     * How TDMQ names the subscription's dead letter topic, for a deadLetterTopic that is not set; it differs by
     * cluster version: TOPIC_SUBSCRIPTION_DLQ (topic-subscription-DLQ, 2.9 clusters and Apache Pulsar's convention),
     * SUBSCRIPTION_DLQ (subscription-DLQ, 2.7) or SUBSCRIPTION_DLQ_LOWER_CASE (subscription-dlq, 2.6.1). The
     * console lists the dead letter topic of a subscription made with retry and dead letter queues.
     */
    public void setDeadLetterTopicNaming(DeadLetterTopicNaming deadLetterTopicNaming) {
        this.deadLetterTopicNaming = deadLetterTopicNaming;
    }

    public TdmqHttpDeliveryCountStore getDeliveryCountStore() {
        return deliveryCountStore;
    }

    /**
     * Where deliveries are counted for maxDeliveries and the CamelTdmqHttpDeliveryCount header. By default each
     * consumer counts in memory (the 65,536 most recent unacknowledged messages), so a message that several
     * applications share is counted by each of them apart; give a bean backed by a shared store to count them all.
     */
    public void setDeliveryCountStore(TdmqHttpDeliveryCountStore deliveryCountStore) {
        this.deliveryCountStore = deliveryCountStore;
    }

    /** A copy to give an endpoint, so that its options do not change the component's defaults. */
    public TdmqHttpConfiguration copy() {
        try {
            return (TdmqHttpConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
