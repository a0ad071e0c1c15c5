package io.github.tdmqhttp.camel.springboot;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import com.tencentcloudapi.common.provider.CredentialsProvider;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import io.github.tdmqhttp.camel.DeadLetterTopicNaming;
import io.github.tdmqhttp.camel.MessageFormat;
import io.github.tdmqhttp.camel.PayloadEncoding;
import io.github.tdmqhttp.camel.SubInitialPosition;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpDeliveryCountStore;
import io.github.tdmqhttp.camel.TdmqHttpOperation;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * The {@code camel.component.tdmq-http.*} properties: every option of the tdmq-http component, with the component's
 * own defaults and documentation (a test checks them against the component's metadata). Options that take a bean
 * accept a reference such as {@code #myClient} or {@code #bean:myClient}.
 */
@ConfigurationProperties(prefix = "camel.component.tdmq-http")
public class TdmqHttpComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * The shared defaults of the endpoints this component creates.
     */
    private TdmqHttpConfiguration configuration;

    /**
     * The API host, or a URL with scheme and port for a server of your own, e.g. http://127.0.0.1:9090 for the local
     * emulator. The international site uses tdmq.intl.tencentcloudapi.com. A host alone is reached over HTTPS.
     */
    private String endpoint = "tdmq.tencentcloudapi.com";

    /**
     * How bodies travel in the JSON Payload field. TEXT sends UTF-8 text as is and refuses bytes that are not UTF-8;
     * BASE64 sends any bytes base64-encoded and is the only safe choice for binary data, and for batch receive of
     * payloads that may contain ###. Producers and consumers of a topic must use the same encoding.
     */
    private PayloadEncoding payloadEncoding = PayloadEncoding.TEXT;

    /**
     * What a payload holds. RAW (the default) is the body alone: TDMQ's HTTP API has no message properties, key, event
     * time or delayed delivery, so no header crosses the topic. CLOUDEVENTS wraps the body in a CloudEvent (JSON
     * structured mode): its content type, an idempotency key (header CamelTdmqHttpIdempotencyKey) and the headers the
     * headerFilterStrategy lets through (traceparent among them) cross the topic, and any CloudEvents client can read
     * and write it. Its consumer delivers a payload that is not a CloudEvent as it is. Needs
     * io.cloudevents:cloudevents-json-jackson.
     */
    private MessageFormat messageFormat = MessageFormat.RAW;

    /**
     * With messageFormat=CLOUDEVENTS: which headers cross the topic. The default carries every header but Camel's own
     * and those whose names suggest a secret, and keeps a sender from setting Camel headers on the receiving route. A
     * header crosses only with a name of letters and digits (CloudEvents' rule; its case is lost) and a text, number or
     * boolean value; others are left out with a warning.
     */
    private HeaderFilterStrategy headerFilterStrategy;

    /**
     * The region of the TDMQ cluster, e.g. ap-guangzhou, ap-shanghai, ap-singapore. Required unless a client is
     * given.
     */
    private String region;

    /**
     * A TdmqClient of your own (a bean; autowired when exactly one exists). Connection, proxy and security options are
     * then ignored: the client already has its credentials, region and HTTP profile. The SDK reads its credential as it
     * always does, so one that renews itself (CVM role, STS) can sign a call with parts of two generations while many
     * calls are in flight (AuthFailure.SignatureFailure or TokenFailure now and then): give such a credential as a
     * credentialsProvider instead.
     */
    private TdmqClient client;

    /**
     * How long to wait for a connection to the endpoint. The SDK counts whole seconds, so this is rounded up to one.
     * Between 1 ms and 2147483000 ms (about 24 days), the most the SDK's HTTP client takes.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration connectTimeout = Duration.ofMillis(10000);

    /**
     * How many times the component tries a failed call again by itself, only when repeating it is safe: a send whose
     * message was certainly not stored (throttling, a refused connection), an acknowledgement that failed for a
     * reason a retry can help (acknowledgements are idempotent). Every other failure reaches the route at once,
     * including a send whose message may be stored (a lost answer, InternalError), which is never repeated on a guess.
     * The retries wait on the route's thread, with exponential backoff and jitter; Camel's redelivery comes on top and
     * multiplies them, so set 0 where the route redelivers. 0 or more.
     */
    private Integer maxRetries = 5;

    /**
     * The most calls of one API action (SendMessages, ReceiveMessage, AcknowledgeMessage...) per second, spaced
     * evenly. TDMQ allows 1000 a second per action, API region and CAM sub-account, and throttles beyond; staying
     * under the quota is faster than being throttled and backing off. Every endpoint of the JVM that spends the same
     * quota (the same secretId or credentials source, region and API host, in any component) shares one limit, which
     * runs at the lowest value among them. When the service throttles anyway (other applications use the same keys),
     * the rate halves and is won back gradually. 0 removes the limit for that endpoint (for a server of your own);
     * below 0 is refused.
     */
    private Integer maxRequestsPerSecond = 1000;

    /**
     * Whether consumers and producers publish their figures (messages received, acknowledged, sent, failures,
     * retries, call latency per action...) as Micrometer meters whose names start with tdmq.http, when Micrometer is
     * on the classpath: in the MeterRegistry of the Camel registry (in Spring Boot, the application's), else Micrometer's
     * global registry. Without Micrometer this does nothing. The figures shown by JMX, the tdmq-http dev console and
     * the health details are kept either way.
     */
    private Boolean metricsEnabled = true;

    /**
     * How long to wait for an answer; must exceed batchReceiveTimeout, as ReceiveMessage holds the call while it waits
     * for messages. Rounded up to whole seconds. Never infinite: the SDK's own default of 0 would wait forever. Between
     * 1 ms and 2147483000 ms (about 24 days), the most the SDK's HTTP client takes.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration readTimeout = Duration.ofMillis(30000);

    /**
     * The backoff before the first retry; each further retry waits retryMultiplier times longer, up to
     * retryMaxDelay. Every wait is shortened by a random part of up to half of it, so that many clients do not retry
     * in step. 0 or more.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration retryInitialDelay = Duration.ofMillis(200);

    /**
     * The longest backoff between two retries; not shorter than retryInitialDelay.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration retryMaxDelay = Duration.ofMillis(5000);

    /**
     * How much longer each backoff is than the one before; 1.0 (every backoff as long as the first) or more.
     */
    private Double retryMultiplier = 2.0;

    /**
     * How long to wait while sending a request. Rounded up to whole seconds. Between 1 ms and 2147483000 ms (about 24
     * days), the most the SDK's HTTP client takes.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration writeTimeout = Duration.ofMillis(30000);

    /**
     * Acknowledge each message when its exchange completes successfully (a failed exchange is not acknowledged, so TDMQ
     * delivers it again after its ack timeout: the HTTP API has no negative acknowledgement). An exchange handled by
     * onException(...).handled(true) or a dead letter channel counts as successful and is acknowledged. With false, the
     * route acknowledges with a producer using operation=acknowledge.
     */
    private Boolean autoAck = true;

    /**
     * With batch receive: how long the server waits to fill a batch before it answers with what it has (Timeout). A
     * longer wait gives fuller batches on a slow topic at the cost of latency. Must be shorter than readTimeout.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration batchReceiveTimeout = Duration.ofMillis(100);

    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed
     * as a message and handled by the routing Error Handler. Important: This is only possible if the 3rd party
     * component allows Camel to be alerted if an exception was thrown. Some components handle this internally only,
     * and therefore bridgeErrorHandler is not possible. In other situations we may improve the Camel component to
     * hook into the 3rd party component and make this possible for future releases. By default the consumer will use
     * the org.apache.camel.spi.ExceptionHandler to deal with exceptions, that will be logged at WARN or ERROR level
     * and ignored.
     */
    private Boolean bridgeErrorHandler = false;

    /**
     * How many pollers receive and process in parallel, each on its own thread. Needs Camel's default scheduler:
     * with scheduler=spring or quartz there is one poller (and a warning).
     */
    private Integer concurrentConsumers = 1;

    /**
     * How many AcknowledgeMessage calls a consumer runs at once. Acknowledgements are sent in the background, so the
     * route goes on with the next message while they travel; the API has no multi-message ack, so calls in flight
     * divided by the round trip bounds the messages a second a consumer can finish (128 reach the quota up to
     * 120 ms). Threads are started as calls need them, and a free one is used before a new one starts. When
     * acknowledgements fall behind by more than 32 per call, a poller acknowledges its own, which slows it down
     * instead of letting unacknowledged work pile up.
     */
    private Integer maxAcksInFlight = 128;

    /**
     * The most ReceiveMessage calls a consumer starts ahead, while its pollers process what the previous ones
     * brought, so that the round trip to the API does not bound the rate. The consumer adapts the number to the
     * measured round trip and processing time: one while the topic is quiet (a single-message receive waiting on the
     * server), more while messages flow faster than one receive per round trip brings them. With more than one,
     * messages of receives in flight at the same time may be processed out of order; 1 keeps the order of a poller.
     */
    private Integer maxReceivesInFlight = 4;

    /**
     * The most received messages a consumer holds before they are acknowledged (with those its receives in flight
     * asked for). The consumer holds fewer when its acknowledgements could not settle that many before their ack
     * deadline: its share of the AcknowledgeMessage quota (the rate acknowledgements go at, the limiter's or less when
     * they were measured slower, divided by the consumers that spend it) times a quarter of the ackTimeout; a receive
     * then asks for fewer messages, or waits for acknowledgements. TDMQ stops delivering to a subscription that has
     * 5,000 unacknowledged messages on a partition (its default UnackPolicy): keep the sum over the applications that
     * share a subscription below that.
     */
    private Integer maxUnacknowledgedMessages = 1000;

    /**
     * The most messages one poll receives. Above 1, polls use batch receive (MaxNumMessages), and a poll that
     * returns a full batch is followed at once by the next, so a backlog drains without waiting for the scheduler's
     * delay. 1 receives one message per call. Larger batches mean fewer calls; each message of a batch waits for the
     * ones before it, so keep batches small enough to finish within the subscription's ack timeout.
     */
    private Integer maxMessagesPerPoll = 32;

    /**
     * Where a new subscription starts: Earliest (the oldest retained message, so nothing sent before the route first
     * started is missed) or Latest (only messages sent from then on). Always sent, because the API's documents
     * disagree on its default. It matters only the first time TDMQ sees the subscription.
     */
    private SubInitialPosition subInitialPosition = SubInitialPosition.Earliest;

    /**
     * The subscription to receive with (SubscriptionName); required by the consumer. Consumers on the same
     * subscription, in this or other applications, share its messages: each message goes to one of them.
     */
    private String subscription;

    /**
     * With batch receive: the most payload bytes one poll receives (MaxNumBytes). The default, 10 MB as in Pulsar's own
     * batch receive, bounds the memory of a poll whatever the message size: a poller holds about five times this while
     * it reads and splits a batch (see Memory in docs/receiving.md). 0 sends no limit.
     */
    private Integer maxNumBytes = 10485760;

    /**
     * The ack timeout of the subscription on the server: how long TDMQ waits for an acknowledgement before it delivers
     * a message again, possibly to another consumer. Tencent does not document the value for HTTP subscriptions; 30 s
     * is what the emulator assumes. The consumer never starts an exchange for a message whose deadline is that close,
     * and shrinks its batches when they take longer than half of it (the HTTP API cannot extend a message's deadline).
     * Set it to your subscription's value: longer than the server's risks the same message being processed twice at
     * once.
     */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration ackTimeout = Duration.ofMillis(30000);

    /**
     * After this many deliveries of a message whose exchange failed, the consumer sends its payload to the
     * deadLetterTopic and then acknowledges it, instead of letting TDMQ deliver it again forever. 0 (the default) means
     * no limit. Deliveries are counted by this application (see deliveryCountStore): the HTTP API carries no redelivery
     * count.
     */
    private Integer maxDeliveries = 0;

    /**
     * Where a message goes after maxDeliveries failed deliveries: a full topic path, or a topic name in the consumer's
     * own cluster and namespace. Defaults to TDMQ's own name for the subscription's dead letter topic in the same
     * namespace, as deadLetterTopicNaming says (topic-subscription-DLQ: what the console creates for a subscription
     * made with automatic retry and dead letter queues on a 2.9 cluster). When the send fails the message is not
     * acknowledged.
     */
    private String deadLetterTopic;

    /**
     * How TDMQ names the subscription's dead letter topic, for a deadLetterTopic that is not set; it differs by
     * cluster version: TOPIC_SUBSCRIPTION_DLQ (topic-subscription-DLQ, 2.9 clusters and Apache Pulsar's convention),
     * SUBSCRIPTION_DLQ (subscription-DLQ, 2.7) or SUBSCRIPTION_DLQ_LOWER_CASE (subscription-dlq, 2.6.1). The console
     * lists the dead letter topic of a subscription made with retry and dead letter queues.
     */
    private DeadLetterTopicNaming deadLetterTopicNaming = DeadLetterTopicNaming.TOPIC_SUBSCRIPTION_DLQ;

    /**
     * Where deliveries are counted for maxDeliveries and the CamelTdmqHttpDeliveryCount header. By default each
     * consumer counts in memory (the 65,536 most recent unacknowledged messages), so a message that several
     * applications share is counted by each of them apart; give a bean backed by a shared store to count them all.
     */
    private TdmqHttpDeliveryCountStore deliveryCountStore;

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
    private boolean exchangePerBatch;

    /**
     * The ReceiverQueueSize of the server-side consumer (server default 1000). It caps maxMessagesPerPoll, so it may
     * not be smaller. Not sent when unset.
     */
    private Integer receiverQueueSize;

    /**
     * Send with SendBatchMessages, which lets the server-side producer group messages into Pulsar batches. Each call
     * still carries one message.
     */
    private Boolean batching = false;

    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to allow
     * CamelContext and routes to startup in situations where a producer may otherwise fail during starting and cause
     * the route to fail being started. By deferring this startup to be lazy then the startup failure can be handled
     * during routing messages via Camel's routing error handlers. Beware that when the first message is processed
     * then creating and starting the producer may take a little time and prolong the total processing time of the
     * processing.
     */
    private Boolean lazyStartProducer = false;

    /**
     * For collection bodies (a List, a Set...), how many SendMessages calls run at once, for all the exchanges going
     * through the endpoint's producer together. The API has no multi-message send, so this is what makes a list fast:
     * calls in flight divided by the round trip is the most messages a second (128 reach the quota up to 120 ms).
     * While the client-side limiter holds the rate (maxRequestsPerSecond), the producer keeps fewer: twice the rate
     * times the quickest recent round trip, plus 4, which keeps the rate without idle connections for the SDK to
     * close. Threads are started as calls need them. Elements may then reach the topic out of order (set 1 to keep
     * the order).
     */
    private Integer maxSendsInFlight = 128;

    /**
     * What the producer does: send the body as a message, or acknowledge the received message (for consumers with
     * autoAck=false), named by the CamelTdmqHttpReceipt exchange property the consumer sets, or else by the
     * CamelTdmqHttpMessageId, CamelTdmqHttpAckTopic and CamelTdmqHttpSubscription headers.
     */
    private TdmqHttpOperation operation = TdmqHttpOperation.send;

    /**
     * The ProducerName sent with each message; the official examples use the role name from Role Management. TDMQ
     * allows one send under a ProducerName at a time (another fails with FailedOperation.CreateProducerError, which
     * is retried), so it needs maxSendsInFlight=1. Leave it out unless the role requires it.
     */
    private String producerName;

    /**
     * With batching: the largest batch in bytes (BatchingMaxBytes, server default 131072); not sent when unset.
     */
    private Long batchingMaxBytes;

    /**
     * With batching: the most messages in one Pulsar batch (BatchingMaxMessages, server default 1000); not sent when
     * unset.
     */
    private Long batchingMaxMessages;

    /**
     * With batching: how long in milliseconds the server-side producer waits to fill a batch
     * (BatchingMaxPublishDelay, server default 10); not sent when unset.
     */
    private Long batchingMaxPublishDelay;

    /**
     * The MaxPendingMessages of the server-side producer (server default 1000); not sent when unset.
     */
    private Long maxPendingMessages;

    /**
     * The SendTimeout of the server-side producer, passed through as is. The API reference says seconds (default 30)
     * while the official examples pass 3000; not sent when unset, so the server's default applies.
     */
    private Long sendTimeout;

    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then
     * gets configured on the component. This can be used for automatic configuring JDBC data sources, JMS connection
     * factories, AWS Clients, etc.
     */
    private Boolean autowiredEnabled = true;

    /**
     * Used for enabling or disabling all consumer based health checks from this component
     */
    private Boolean healthCheckConsumerEnabled = true;

    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by
     * default disabled all producer based health-checks. You can turn on producer checks globally by setting
     * camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;

    /**
     * An HTTP proxy to reach the endpoint through.
     */
    private String proxyHost;

    /**
     * The password for the HTTP proxy. This option is a secret: give it from an environment variable or a secret
     * store, never in a file you commit.
     */
    private String proxyPassword;

    /**
     * The port of the HTTP proxy.
     */
    private Integer proxyPort;

    /**
     * The user name for the HTTP proxy, if it asks for one. This option is a secret: give it from an environment
     * variable or a secret store, never in a file you commit.
     */
    private String proxyUsername;

    /**
     * The SecretId of a Tencent Cloud API key (CAM). With neither secretId nor secretKey, the SDK's default chain is
     * used: the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, then the profile file
     * /.tencentcloud/credentials, then the role of the CVM instance, then TKE OIDC. Set it on the component
     * (camel.component.tdmq-http.secret-id), not in an endpoint URI, where Camel shows it in clear. This option is a
     * secret: give it from an environment variable or a secret store, never in a file you commit.
     */
    private String secretId;

    /**
     * The SecretKey that goes with secretId. It signs every request and is never sent, logged or shown by the
     * component. Set it on the component (camel.component.tdmq-http.secret-key), not in an endpoint URI: Camel shows
     * URI options in clear in its DEBUG logs, route dumps and JMX. This option is a secret: give it from an environment
     * variable or a secret store, never in a file you commit.
     */
    private String secretKey;

    /**
     * The token of temporary credentials (STS), sent with secretId and secretKey when they are temporary. Set it on the
     * component (camel.component.tdmq-http.session-token), not in an endpoint URI, where Camel shows it in clear. This
     * option is a secret: give it from an environment variable or a secret store, never in a file you commit.
     */
    private String sessionToken;

    /**
     * The role key (StringToken) from the console's Role Management page, for a role allowed to produce on the
     * namespace. Set it on the component (camel.component.tdmq-http.string-token), not in an endpoint URI, where Camel
     * shows it in clear. This option is a secret: give it from an environment variable or a secret store, never in a
     * file you commit.
     */
    private String stringToken;

    /**
     * Where to get credentials when secretId and secretKey are not set; by default the SDK's DefaultCredentialsProvider
     * chain (environment, profile file, CVM role, TKE OIDC). Asked once, when an endpoint starts; a credential that
     * renews itself (as the SDK's CVM role, STS and OIDC credentials do) is read so that each call is signed with one
     * generation of it.
     */
    private CredentialsProvider credentialsProvider;

    /**
     * The TLS settings of the HTTPS connection to the endpoint (a bean): which certificates to trust, for a private
     * endpoint, an inspecting proxy or a local server with a certificate of its own, and a client certificate if one
     * is needed. By default the JVM's trust store. The trust managers must include an X509TrustManager.
     */
    private SSLContextParameters sslContextParameters;

    public TdmqHttpConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(TdmqHttpConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public PayloadEncoding getPayloadEncoding() {
        return payloadEncoding;
    }

    public void setPayloadEncoding(PayloadEncoding payloadEncoding) {
        this.payloadEncoding = payloadEncoding;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public TdmqClient getClient() {
        return client;
    }

    public void setClient(TdmqClient client) {
        this.client = client;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Integer getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(Integer maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public Boolean getMetricsEnabled() {
        return metricsEnabled;
    }

    public void setMetricsEnabled(Boolean metricsEnabled) {
        this.metricsEnabled = metricsEnabled;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public Duration getRetryInitialDelay() {
        return retryInitialDelay;
    }

    public void setRetryInitialDelay(Duration retryInitialDelay) {
        this.retryInitialDelay = retryInitialDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public Double getRetryMultiplier() {
        return retryMultiplier;
    }

    public void setRetryMultiplier(Double retryMultiplier) {
        this.retryMultiplier = retryMultiplier;
    }

    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public Boolean getAutoAck() {
        return autoAck;
    }

    public void setAutoAck(Boolean autoAck) {
        this.autoAck = autoAck;
    }

    public Duration getBatchReceiveTimeout() {
        return batchReceiveTimeout;
    }

    public void setBatchReceiveTimeout(Duration batchReceiveTimeout) {
        this.batchReceiveTimeout = batchReceiveTimeout;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Integer getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(Integer concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public Integer getMaxReceivesInFlight() {
        return maxReceivesInFlight;
    }

    public void setMaxReceivesInFlight(Integer maxReceivesInFlight) {
        this.maxReceivesInFlight = maxReceivesInFlight;
    }

    public Integer getMaxUnacknowledgedMessages() {
        return maxUnacknowledgedMessages;
    }

    public void setMaxUnacknowledgedMessages(Integer maxUnacknowledgedMessages) {
        this.maxUnacknowledgedMessages = maxUnacknowledgedMessages;
    }

    public Integer getMaxAcksInFlight() {
        return maxAcksInFlight;
    }

    public void setMaxAcksInFlight(Integer maxAcksInFlight) {
        this.maxAcksInFlight = maxAcksInFlight;
    }

    public Integer getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(Integer maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public SubInitialPosition getSubInitialPosition() {
        return subInitialPosition;
    }

    public void setSubInitialPosition(SubInitialPosition subInitialPosition) {
        this.subInitialPosition = subInitialPosition;
    }

    public String getSubscription() {
        return subscription;
    }

    public void setSubscription(String subscription) {
        this.subscription = subscription;
    }

    public Duration getAckTimeout() {
        return ackTimeout;
    }

    public void setAckTimeout(Duration ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public Integer getMaxDeliveries() {
        return maxDeliveries;
    }

    public void setMaxDeliveries(Integer maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    public DeadLetterTopicNaming getDeadLetterTopicNaming() {
        return deadLetterTopicNaming;
    }

    public void setDeadLetterTopicNaming(DeadLetterTopicNaming deadLetterTopicNaming) {
        this.deadLetterTopicNaming = deadLetterTopicNaming;
    }

    public TdmqHttpDeliveryCountStore getDeliveryCountStore() {
        return deliveryCountStore;
    }

    public void setDeliveryCountStore(TdmqHttpDeliveryCountStore deliveryCountStore) {
        this.deliveryCountStore = deliveryCountStore;
    }

    public Integer getMaxNumBytes() {
        return maxNumBytes;
    }

    public void setMaxNumBytes(Integer maxNumBytes) {
        this.maxNumBytes = maxNumBytes;
    }

    public Integer getReceiverQueueSize() {
        return receiverQueueSize;
    }

    public void setReceiverQueueSize(Integer receiverQueueSize) {
        this.receiverQueueSize = receiverQueueSize;
    }

    public Boolean getBatching() {
        return batching;
    }

    public void setBatching(Boolean batching) {
        this.batching = batching;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public Integer getMaxSendsInFlight() {
        return maxSendsInFlight;
    }

    public void setMaxSendsInFlight(Integer maxSendsInFlight) {
        this.maxSendsInFlight = maxSendsInFlight;
    }

    public TdmqHttpOperation getOperation() {
        return operation;
    }

    public void setOperation(TdmqHttpOperation operation) {
        this.operation = operation;
    }

    public String getProducerName() {
        return producerName;
    }

    public void setProducerName(String producerName) {
        this.producerName = producerName;
    }

    public Long getBatchingMaxBytes() {
        return batchingMaxBytes;
    }

    public void setBatchingMaxBytes(Long batchingMaxBytes) {
        this.batchingMaxBytes = batchingMaxBytes;
    }

    public Long getBatchingMaxMessages() {
        return batchingMaxMessages;
    }

    public void setBatchingMaxMessages(Long batchingMaxMessages) {
        this.batchingMaxMessages = batchingMaxMessages;
    }

    public Long getBatchingMaxPublishDelay() {
        return batchingMaxPublishDelay;
    }

    public void setBatchingMaxPublishDelay(Long batchingMaxPublishDelay) {
        this.batchingMaxPublishDelay = batchingMaxPublishDelay;
    }

    public Long getMaxPendingMessages() {
        return maxPendingMessages;
    }

    public void setMaxPendingMessages(Long maxPendingMessages) {
        this.maxPendingMessages = maxPendingMessages;
    }

    public Long getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Long sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public String getProxyPassword() {
        return proxyPassword;
    }

    public void setProxyPassword(String proxyPassword) {
        this.proxyPassword = proxyPassword;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public String getProxyUsername() {
        return proxyUsername;
    }

    public void setProxyUsername(String proxyUsername) {
        this.proxyUsername = proxyUsername;
    }

    public String getSecretId() {
        return secretId;
    }

    public void setSecretId(String secretId) {
        this.secretId = secretId;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public String getSessionToken() {
        return sessionToken;
    }

    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
    }

    public String getStringToken() {
        return stringToken;
    }

    public void setStringToken(String stringToken) {
        this.stringToken = stringToken;
    }

    public CredentialsProvider getCredentialsProvider() {
        return credentialsProvider;
    }

    public void setCredentialsProvider(CredentialsProvider credentialsProvider) {
        this.credentialsProvider = credentialsProvider;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public MessageFormat getMessageFormat() {
        return messageFormat;
    }

    public void setMessageFormat(MessageFormat messageFormat) {
        this.messageFormat = messageFormat;
    }

    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }

    public boolean isExchangePerBatch() {
        return exchangePerBatch;
    }

    public void setExchangePerBatch(boolean exchangePerBatch) {
        this.exchangePerBatch = exchangePerBatch;
    }
}
