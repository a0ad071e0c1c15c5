package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.MessageCodec;
import io.github.tdmqhttp.camel.client.MessageCodecs;
import io.github.tdmqhttp.camel.client.RequestRateLimiters;
import io.github.tdmqhttp.camel.client.TdmqHttpClientFactory;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.camel.util.ObjectHelper.isEmpty;

/**
 * Send messages to and receive messages from Tencent Cloud TDMQ for Pulsar through its HTTP API.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tdmq-http", title = "Tencent Cloud TDMQ for Pulsar (HTTP API)",
             syntax = "tdmq-http:topic", category = { Category.MESSAGING, Category.CLOUD },
             headersClass = TdmqHttpConstants.class)
public class TdmqHttpEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpEndpoint.class);

    /** cluster-id/namespace/topic, each part non-empty and without slashes or spaces. */
    private static final Pattern TOPIC = Pattern.compile("[^/\\s]+/[^/\\s]+/[^/\\s]+");
    /** A topic name alone, which the API reference says stands for public/default/name. */
    private static final Pattern SHORT_TOPIC = Pattern.compile("[^/\\s:]+");
    /** Pulsar's prefix for persistent topics, which the console shows and the API accepts. */
    private static final String PERSISTENT = "persistent://";

    @UriParam
    private final TdmqHttpConfiguration configuration;

    /** The SDK client and the calls on it: built when the endpoint starts, shared by its producers and consumers. */
    private volatile TdmqHttpGateway gateway;
    private volatile RequestRateLimiters.Lease rateLimiters;
    /** Turns bodies into payloads and back, as messageFormat says; made at init, where a missing library is named. */
    private volatile MessageCodec codec;

    /** A poller that fails skips this many scheduled polls before it tries again: one try every 3 s by default. */
    static final int DEFAULT_BACKOFF_MULTIPLIER = 5;

    /** The secret options this endpoint's URI set (their names only), to warn about once at start. */
    private List<String> secretOptionsInUri = List.of();

    public TdmqHttpEndpoint(String uri, TdmqHttpComponent component, TdmqHttpConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        // During an outage a poller tries once every few seconds rather than twice a second; it is back within that
        // time of the API's return. The URI options backoffErrorThreshold and backoffMultiplier override this.
        setBackoffErrorThreshold(1);
        setBackoffMultiplier(DEFAULT_BACKOFF_MULTIPLIER);
    }

    @Override
    public TdmqHttpComponent getComponent() {
        return (TdmqHttpComponent) super.getComponent();
    }

    public TdmqHttpConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() throws Exception {
        requirePositive("maxSendsInFlight", configuration.getMaxSendsInFlight());
        String producerName = configuration.getProducerName();
        if (!isEmpty(producerName) && configuration.getMaxSendsInFlight() > 1) {
            // The service holds a ProducerName while a send under it is in flight; parallel sends would collide.
            throw new IllegalArgumentException("tdmq-http:" + configuration.getTopic() + " has producerName="
                                               + configuration.getProducerName() + " with maxSendsInFlight="
                                               + configuration.getMaxSendsInFlight() + ", but TDMQ allows one send"
                                               + " under a ProducerName at a time (others fail with"
                                               + " FailedOperation.CreateProducerError): set maxSendsInFlight=1, or"
                                               + " leave producerName out");
        }
        return new TdmqHttpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        validateConsumerOptions();
        TdmqHttpConsumer consumer = new TdmqHttpConsumer(this, processor);
        configureConsumer(consumer);
        consumer.setMaxMessagesPerPoll(configuration.getMaxMessagesPerPoll());
        return consumer;
    }

    /** Called by the component with the names of the secret options found among the URI's parameters. */
    void setSecretOptionsInUri(List<String> secretOptionsInUri) {
        this.secretOptionsInUri = List.copyOf(secretOptionsInUri);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        warnOfSecretsInUri();
        String topicProblem = topicProblem(configuration.getTopic());
        if (topicProblem != null) {
            throw new IllegalArgumentException("tdmq-http: " + topicProblem);
        }
        configuration.setTopic(canonicalTopic(configuration.getTopic()));
        if (configuration.getClient() == null) {
            if (isEmpty(configuration.getRegion())) {
                throw new IllegalArgumentException("tdmq-http:" + configuration.getTopic() + " needs a region: set"
                                                   + " region=ap-guangzhou (or the region of your TDMQ cluster) on"
                                                   + " the endpoint, or camel.component.tdmq-http.region");
            }
            TdmqHttpClientFactory.ApiAddress.parse(configuration.getEndpoint());
            // With a client bean these are the client's business: the options are ignored.
            requireTimeout("connectTimeout", configuration.getConnectTimeout());
            requireTimeout("readTimeout", configuration.getReadTimeout());
            requireTimeout("writeTimeout", configuration.getWriteTimeout());
        }
        if (configuration.getMaxRequestsPerSecond() < 0) {
            throw new IllegalArgumentException("tdmq-http: maxRequestsPerSecond="
                                               + configuration.getMaxRequestsPerSecond() + " is refused: use 0 (no"
                                               + " limit) or more, e.g. 1000, TDMQ's quota per action");
        }
        codec = MessageCodecs.of(configuration, getCamelContext().getApplicationContextClassLoader() != null
                ? getCamelContext().getApplicationContextClassLoader() : getClass().getClassLoader());
    }

    /**
     * Camel resolves URI options, placeholders included, into the endpoint URI, which it shows in clear in places the
     * component cannot reach: its DEBUG logs, route dumps, JMX, the endpoint registry, exchange properties. Say so
     * once, naming the options and never their values.
     */
    private void warnOfSecretsInUri() {
        if (secretOptionsInUri.isEmpty()) {
            return;
        }
        boolean keys = secretOptionsInUri.stream().anyMatch(TdmqHttpConfiguration.CREDENTIAL_OPTIONS::contains);
        LOG.warn("tdmq-http:{} has {} in its URI, where Camel shows the value in clear: in its DEBUG logs, route"
                 + " dumps, JMX, the endpoint registry and getEndpointUri(). Set {} on the component instead ({}){}",
                configuration.getTopic(), String.join(", ", secretOptionsInUri),
                secretOptionsInUri.size() == 1 ? "it" : "them",
                secretOptionsInUri.stream().map(option -> "camel.component.tdmq-http." + kebab(option))
                        .collect(Collectors.joining(", ")),
                keys ? ", or leave the keys out of the configuration: a credentialsProvider bean, or the SDK's default"
                       + " chain (the environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, the"
                       + " profile file ~/.tencentcloud/credentials, a CVM role)" : "");
    }

    private static String kebab(String option) {
        return option.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** Timeouts the SDK can take: whole seconds its HTTP client (OkHttp) accepts, never 0, which is "forever". */
    private static void requireTimeout(String option, long millis) {
        if (millis < 1 || millis > TdmqHttpClientFactory.MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("tdmq-http: " + option + "=" + millis + " ms is refused: a timeout must"
                                               + " be between 1 ms and " + TdmqHttpClientFactory.MAX_TIMEOUT_MILLIS
                                               + " ms (about 24 days), the most the SDK's HTTP client takes; it is"
                                               + " never infinite");
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // The limiters of the quotas this endpoint spends, shared with every endpoint of the JVM that spends them.
        rateLimiters = RequestRateLimiters.lease(configuration);
        gateway = new TdmqHttpGateway(TdmqHttpClientFactory.create(configuration, getCamelContext()),
                configuration, rateLimiters::limiter);
    }

    @Override
    protected void doStop() throws Exception {
        gateway = null;
        RequestRateLimiters.Lease lease = rateLimiters;
        rateLimiters = null;
        if (lease != null) {
            lease.close();
        }
        super.doStop();
    }

    /**
     * The calls a second the client-side limiter of an action allows now; 0 without a limit or while stopped.
     * Internal: for the component's consumers and dev console, not an API.
     */
    public double currentRate(String action) {
        TdmqHttpGateway current = gateway;
        return current != null ? current.currentRate(action) : 0;
    }

    /** How bodies become payloads and payloads messages, from the endpoint's init on. */
    MessageCodec codec() {
        MessageCodec current = codec;
        if (current == null) {
            throw new IllegalStateException("tdmq-http:" + configuration.getTopic() + " is not initialized");
        }
        return current;
    }

    /** The gateway to the API, available while the endpoint is started. */
    TdmqHttpGateway gateway() {
        TdmqHttpGateway current = gateway;
        if (current == null) {
            throw new IllegalStateException("tdmq-http:" + configuration.getTopic() + " is not started");
        }
        return current;
    }

    /**
     * What is wrong with a topic in none of the forms the API reference accepts (cluster-id/namespace/topic, with or
     * without persistent://, or a name alone for public/default), and how to fix it; null when it is fine.
     */
    static String topicProblem(String topic) {
        if (isEmpty(topic)) {
            return "no topic is given. Use the full path shown in the TDMQ console, e.g."
                   + " tdmq-http:pulsar-xxxx/sdk_http/topic1";
        }
        String path = topic.startsWith(PERSISTENT) ? topic.substring(PERSISTENT.length()) : topic;
        if (TOPIC.matcher(path).matches() || !topic.startsWith(PERSISTENT) && SHORT_TOPIC.matcher(topic).matches()) {
            return null;
        }
        String fix = path.contains("://")
                ? "TDMQ's HTTP API serves persistent topics only: use persistent:// or the path alone, e.g."
                  + " pulsar-xxxx/sdk_http/topic1"
                : "use the full path shown in the TDMQ console, e.g. pulsar-xxxx/sdk_http/topic1";
        return "'" + topic + "' is not of the form cluster-id/namespace/topic: " + fix;
    }

    /**
     * The topic as cluster-id/namespace/topic, so that a topic copied from the console (persistent://...) or a name
     * alone (public/default, as the API reference says) reaches the API, the headers and the logs in one form.
     * Call it on a topic {@link #topicProblem} accepts.
     */
    static String canonicalTopic(String topic) {
        if (topic.startsWith(PERSISTENT)) {
            return topic.substring(PERSISTENT.length());
        }
        return SHORT_TOPIC.matcher(topic).matches() ? "public/default/" + topic : topic;
    }

    private void validateConsumerOptions() {
        if (isEmpty(configuration.getSubscription())) {
            throw new IllegalArgumentException("A tdmq-http consumer needs a subscription: add subscription=<name> to"
                                               + " tdmq-http:" + configuration.getTopic() + ", or set"
                                               + " camel.component.tdmq-http.subscription. Consumers sharing a"
                                               + " subscription share its messages");
        }
        requirePositive("maxMessagesPerPoll", configuration.getMaxMessagesPerPoll());
        requirePositive("concurrentConsumers", configuration.getConcurrentConsumers());
        requirePositive("maxAcksInFlight", configuration.getMaxAcksInFlight());
        requirePositive("maxReceivesInFlight", configuration.getMaxReceivesInFlight());
        requirePositive("maxUnacknowledgedMessages", configuration.getMaxUnacknowledgedMessages());
        if (configuration.getAckTimeout() < 1000) {
            throw new IllegalArgumentException("tdmq-http: ackTimeout=" + configuration.getAckTimeout() + " ms is"
                                               + " refused: it must be at least 1 s (1000 ms), the ack timeout of the"
                                               + " subscription on the server");
        }
        if (configuration.getMaxDeliveries() < 0) {
            throw new IllegalArgumentException("tdmq-http: maxDeliveries=" + configuration.getMaxDeliveries()
                                               + " is refused: use 0 (no limit) or more");
        }
        if (configuration.getMaxDeliveries() > 0) {
            if (!configuration.isAutoAck()) {
                throw new IllegalArgumentException("tdmq-http: maxDeliveries needs autoAck=true: with autoAck=false"
                                                   + " the route acknowledges, so the consumer cannot tell a failed"
                                                   + " delivery from one the route settled itself");
            }
            String deadLetterProblem = topicProblem(configuration.deadLetterTopicPath());
            if (deadLetterProblem != null) {
                throw new IllegalArgumentException("tdmq-http: deadLetterTopic: " + deadLetterProblem);
            }
        }
        if (configuration.getMaxNumBytes() != null && configuration.getMaxNumBytes() < 0) {
            throw new IllegalArgumentException("tdmq-http: maxNumBytes=" + configuration.getMaxNumBytes()
                                               + " is refused: use 0 (no limit) or a number of bytes");
        }
        if (configuration.getBatchReceiveTimeout() < 0) {
            throw new IllegalArgumentException("tdmq-http: batchReceiveTimeout=" + configuration.getBatchReceiveTimeout()
                                               + " ms is refused: use 0 or more, below readTimeout");
        }
        Integer queueSize = configuration.getReceiverQueueSize();
        if (queueSize != null && queueSize < configuration.getMaxMessagesPerPoll()) {
            throw new IllegalArgumentException("tdmq-http: receiverQueueSize=" + queueSize + " caps a batch receive"
                                               + " below maxMessagesPerPoll=" + configuration.getMaxMessagesPerPoll()
                                               + ": raise receiverQueueSize or lower maxMessagesPerPoll");
        }
        if (configuration.getMaxMessagesPerPoll() > 1
            && configuration.getBatchReceiveTimeout() >= configuration.getReadTimeout()) {
            throw new IllegalArgumentException("tdmq-http: batchReceiveTimeout=" + configuration.getBatchReceiveTimeout()
                                               + " ms is not shorter than readTimeout=" + configuration.getReadTimeout()
                                               + " ms, so a receive could time out while the server still waits:"
                                               + " lower batchReceiveTimeout or raise readTimeout");
        }
    }

    private static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("tdmq-http: " + option + " must be at least 1, not " + value);
        }
    }

    @Override
    public String getServiceUrl() {
        if (configuration.getClient() != null) {
            return null;
        }
        return TdmqHttpClientFactory.ApiAddress.parse(configuration.getEndpoint()).url();
    }

    @Override
    public String getServiceProtocol() {
        return "http";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return configuration.getRegion() == null
                ? Map.of("topic", configuration.getTopic())
                : Map.of("topic", configuration.getTopic(), "region", configuration.getRegion());
    }
}
