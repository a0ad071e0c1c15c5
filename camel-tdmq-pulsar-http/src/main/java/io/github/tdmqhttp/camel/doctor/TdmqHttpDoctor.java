package io.github.tdmqhttp.camel.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import io.github.tdmqhttp.camel.client.TdmqHttpClientFactory;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpEndpoint;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.doctor.DoctorCalls.Answer;
import io.github.tdmqhttp.camel.doctor.DoctorCalls.Failure;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;

import static io.github.tdmqhttp.camel.doctor.DoctorCalls.ACKNOWLEDGE_MESSAGE;
import static io.github.tdmqhttp.camel.doctor.DoctorCalls.RECEIVE_MESSAGE;
import static io.github.tdmqhttp.camel.doctor.DoctorCalls.SEND_BATCH_MESSAGES;
import static io.github.tdmqhttp.camel.doctor.DoctorCalls.SEND_MESSAGES;
import static org.apache.camel.util.ObjectHelper.isEmpty;

/**
 * Checks a tdmq-http configuration against TDMQ, in order, one {@link DoctorCheck} each, with the fix for each failure:
 * <ol>
 * <li>{@value #ENDPOINT}: a signed call answers (reachable, TLS trusted, clock within 5 minutes, a TDMQ region);</li>
 * <li>{@value #KEYS}: the signature, the SecretId, the session token;</li>
 * <li>{@code action <Action>}: each action the application needs is allowed to the keys by CAM, and the HTTP message
 * API is open to the account (probed with calls that carry no parameters, which nothing can store);</li>
 * <li>{@value #TOPIC}: exists, partitioned for receiving, its cluster in the region; {@value #PRODUCER}: the role key
 * and producerName accepted (only when allowed to send);</li>
 * <li>{@value #SUBSCRIPTION}: receives, and from where a new one starts;</li>
 * <li>{@value #MEASURED}: the round trip, an empty receive's wait; {@value #ACK_TIMEOUT} on request;</li>
 * <li>{@value #LEFT_BEHIND}: what the run leaves: it sends only to the topic it checks and only when allowed, and
 * acknowledges nothing but its own message.</li>
 * </ol>
 * A failure of the endpoint or the keys skips the checks after it. No line holds a secret: the keys, the session token
 * and the role key are never printed or logged.
 */
public final class TdmqHttpDoctor {

    /** The name of check 1. */
    public static final String ENDPOINT = "endpoint";
    /** The name of check 2. */
    public static final String KEYS = "keys";
    /** The names of check 3 start with this, followed by the action. */
    public static final String ACTION = "action ";
    /** The name of check 4, the topic. */
    public static final String TOPIC = "topic";
    /** The name of check 4, the role key and producerName. */
    public static final String PRODUCER = "producer";
    /** The name of check 5. */
    public static final String SUBSCRIPTION = "subscription";
    /** The name of check 6. */
    public static final String MEASURED = "measured";
    /** The name of check 6 with --measure-ack-timeout. */
    public static final String ACK_TIMEOUT = "ack timeout";
    /** The name of check 7. */
    public static final String LEFT_BEHIND = "left behind";

    /** The payload of the doctor's own message starts with this. */
    public static final String PAYLOAD_PREFIX = "tdmq-http doctor ";

    private final TdmqHttpConfiguration configuration;
    private final CamelContext camelContext;

    /**
     * @param configuration the component's or an endpoint's configuration, as the routes use it (not changed)
     * @param camelContext  for the sslContextParameters, when the configuration has them
     */
    public TdmqHttpDoctor(TdmqHttpConfiguration configuration, CamelContext camelContext) {
        this.configuration = configuration;
        this.camelContext = camelContext;
    }

    /**
     * Runs the doctor on a running application: for each tdmq-http endpoint of the context, by a name such as
     * {@code from tdmq-http:topic (subscription s)} or {@code to tdmq-http:topic}; the component's configuration when
     * no endpoint exists. It never sends: a consumer's endpoint gets the receive-side checks on its subscription (a
     * message received is left unacknowledged, and TDMQ delivers it again after the ack timeout), a producer's the
     * permission of its send action.
     */
    public static Map<String, DoctorReport> runForRoutes(CamelContext camelContext) {
        Map<String, DoctorReport> reports = new LinkedHashMap<>();
        for (Endpoint endpoint : camelContext.getEndpoints()) {
            if (endpoint instanceof TdmqHttpEndpoint tdmq) {
                boolean consumer = camelContext.getRoutes().stream().map(Route::getEndpoint)
                        .anyMatch(from -> from == endpoint);
                TdmqHttpConfiguration configuration = tdmq.getConfiguration().copy();
                if (!consumer) {
                    // A producer's endpoint: no receive on a subscription it does not consume.
                    configuration.setSubscription(null);
                }
                DoctorOptions options = DoctorOptions.DEFAULTS.withSending(!consumer);
                String name = (consumer ? "from" : "to") + " tdmq-http:" + configuration.getTopic()
                              + (consumer ? " (subscription " + configuration.getSubscription() + ")" : "");
                reports.put(name, new TdmqHttpDoctor(configuration, camelContext).run(options));
            }
        }
        if (reports.isEmpty() && camelContext.hasComponent("tdmq-http") instanceof TdmqHttpComponent component) {
            reports.put("the tdmq-http component", new TdmqHttpDoctor(component.getConfiguration(), camelContext)
                    .run(DoctorOptions.DEFAULTS));
        }
        return reports;
    }

    /** Runs every check the options allow and says what it found. Never throws for what it finds. */
    public DoctorReport run(DoctorOptions options) {
        return new Run(options).checks();
    }

    /** One run: the calls it made and what they answered. */
    private final class Run {

        private final DoctorOptions options;
        private final List<DoctorCheck> checks = new ArrayList<>();
        private final String topic;
        private final String subscription;
        private final String endpoint;
        private final String region;
        private final String payload = PAYLOAD_PREFIX + UUID.randomUUID();
        private final Map<String, Answer> probes = new LinkedHashMap<>();
        private DoctorCalls calls;
        private long fastestMillis = Long.MAX_VALUE;
        private Long emptyWaitMillis;
        private int othersReceived;
        private Answer sent;
        private boolean ownAcknowledged;
        private Long sentToReceivedMillis;
        private Long ackMillis;
        private String ackProblem;

        Run(DoctorOptions options) {
            this.options = options;
            this.topic = !isEmpty(options.topic()) ? options.topic().strip() : configuration.getTopic();
            this.subscription = !isEmpty(options.subscription()) ? options.subscription().strip()
                    : configuration.getSubscription();
            this.endpoint = DoctorVerdicts.endpointUrl(configuration.getEndpoint());
            this.region = configuration.getRegion();
        }

        DoctorReport checks() {
            if (isEmpty(region)) {
                checks.add(DoctorCheck.fail(ENDPOINT, "no region is configured",
                        "set region (camel.component.tdmq-http.region, or TDMQ_REGION) to the region of your TDMQ"
                        + " cluster, e.g. ap-guangzhou"));
                return skipRest(KEYS);
            }
            TdmqClient client;
            try {
                client = TdmqHttpClientFactory.create(configuration, camelContext);
            } catch (IllegalArgumentException e) {
                return refusedConfiguration(e);
            }
            calls = new DoctorCalls(client, configuration);
            List<String> actions = neededActions();
            Answer first = probe(actions.isEmpty() ? SEND_MESSAGES : actions.get(0));
            if (!endpointCheck(first) || !keysCheck(first)) {
                return report();
            }
            boolean receiveAllowed = true;
            boolean sendAllowed = true;
            for (String action : actions) {
                boolean allowed = actionCheck(action, probe(action));
                if (action.equals(RECEIVE_MESSAGE)) {
                    receiveAllowed = allowed;
                } else if (!action.equals(ACKNOWLEDGE_MESSAGE)) {
                    sendAllowed = allowed;
                }
            }
            boolean topicUsable = topicChecks(receiveAllowed, sendAllowed);
            subscriptionCheck(topicUsable, receiveAllowed);
            if (topicUsable && sent != null && sent.succeeded() && !isEmpty(subscription) && receiveAllowed) {
                roundTrip();
            }
            if (options.measuresAckTimeout()
                && checks.stream().noneMatch(check -> check.name().equals(ACK_TIMEOUT))) {
                checks.add(DoctorCheck.skip(ACK_TIMEOUT, "not measured: it takes the doctor's own message (--send), a"
                        + " subscription, and the message back on it"));
            }
            measuredCheck();
            leftBehindCheck();
            return report();
        }

        private List<String> neededActions() {
            List<String> actions = new ArrayList<>();
            if (options.sending() || options.send()) {
                actions.add(configuration.isBatching() ? SEND_BATCH_MESSAGES : SEND_MESSAGES);
            }
            if (!isEmpty(subscription)) {
                actions.add(RECEIVE_MESSAGE);
                actions.add(ACKNOWLEDGE_MESSAGE);
            }
            return actions;
        }

        private Answer probe(String action) {
            return probes.computeIfAbsent(action, any -> timed(calls.probe(action)));
        }

        /** Keeps the fastest answer's time: the round trip, as near as the doctor can measure it. */
        private Answer timed(Answer answer) {
            if (answer.failure() == Failure.NONE || answer.failure() == Failure.REFUSED) {
                fastestMillis = Math.min(fastestMillis, answer.millis());
            }
            return answer;
        }

        private DoctorReport refusedConfiguration(IllegalArgumentException e) {
            String message = e.getMessage();
            if (message != null && message.startsWith("No Tencent Cloud credentials")) {
                checks.add(DoctorCheck.skip(ENDPOINT, "not checked: a signed call needs keys"));
                checks.add(DoctorCheck.fail(KEYS, "no Tencent Cloud credentials found: none in the options, none"
                        + " in TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, none in"
                        + " ~/.tencentcloud/credentials, no CVM role",
                        "set secretId and secretKey (camel.component.tdmq-http.secret-id and .secret-key), or the"
                        + " environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or secret_id"
                        + " and secret_key in the [default] section of ~/.tencentcloud/credentials; on a CVM"
                        + " instance, attach a CAM role to it"));
                return skipRest(ACTION);
            }
            boolean aboutEndpoint = message != null && (message.contains("endpoint") || message.contains("ssl"));
            checks.add(DoctorCheck.fail(aboutEndpoint ? ENDPOINT : KEYS, "the configuration is refused before any"
                    + " call", message));
            return skipRest(aboutEndpoint ? KEYS : ACTION);
        }

        // --- 1 to 4: what the answers mean is DoctorVerdicts'

        private boolean endpointCheck(Answer answer) {
            DoctorCheck check = DoctorVerdicts.endpoint(answer, endpoint, region);
            checks.add(check);
            if (check.status() == DoctorCheck.Status.OK) {
                return true;
            }
            skipRest(KEYS);
            return false;
        }

        private boolean keysCheck(Answer answer) {
            DoctorCheck check = DoctorVerdicts.keys(answer, configuration);
            checks.add(check);
            if (check.status() == DoctorCheck.Status.FAIL) {
                skipRest(ACTION);
                return false;
            }
            return true;
        }

        private boolean actionCheck(String action, Answer answer) {
            DoctorCheck check = DoctorVerdicts.action(action, answer);
            checks.add(check);
            return check.status() != DoctorCheck.Status.FAIL;
        }

        private boolean topicCheck(Answer answer, boolean byReceive) {
            DoctorCheck check = DoctorVerdicts.topic(answer, byReceive, topic, region, configuration);
            checks.add(check);
            return check.status() != DoctorCheck.Status.FAIL;
        }

        private void producerCheck(Answer answer) {
            checks.add(DoctorVerdicts.producer(answer, topic, configuration));
        }

        // --- 4. topic and producer

        private boolean topicChecks(boolean receiveAllowed, boolean sendAllowed) {
            if (isEmpty(topic)) {
                checks.add(DoctorCheck.skip(TOPIC, "no topic given: set the topic to check (--topic)"));
                checks.add(DoctorCheck.skip(PRODUCER, "no topic given"));
                return false;
            }
            Answer received = null;
            if (!isEmpty(subscription) && receiveAllowed) {
                received = timed(calls.receive(topic, subscription));
                noteReceived(received, false);
            }
            boolean sending = options.send() && sendAllowed;
            if (received == null && sending) {
                sent = timed(calls.send(sendAction(), topic, payload));
            }
            Answer onTopic = received != null ? received : sent;
            boolean usable;
            if (onTopic == null) {
                checks.add(DoctorCheck.skip(TOPIC, topic + " not checked: it takes a receive (a subscription and"
                        + " ReceiveMessage allowed) or a send (--send)"));
                usable = false;
            } else {
                usable = topicCheck(onTopic, received != null);
            }
            if (!options.send()) {
                checks.add(DoctorCheck.skip(PRODUCER, "the role key and producerName are checked by sending one"
                        + " message, which the doctor does only when told to (--send)"));
            } else if (!sendAllowed) {
                checks.add(DoctorCheck.skip(PRODUCER, "not checked: " + sendAction() + " is denied"));
            } else if (!usable) {
                checks.add(DoctorCheck.skip(PRODUCER, "not checked: fix the topic first"));
            } else {
                if (sent == null) {
                    sent = timed(calls.send(sendAction(), topic, payload));
                }
                producerCheck(sent);
            }
            return usable;
        }

        // --- 5. subscription

        private void subscriptionCheck(boolean topicUsable, boolean receiveAllowed) {
            if (isEmpty(subscription)) {
                checks.add(DoctorCheck.skip(SUBSCRIPTION, "no subscription configured: receive-side checks"
                        + " skipped"));
                return;
            }
            if (!receiveAllowed || !topicUsable || isEmpty(topic)) {
                checks.add(DoctorCheck.skip(SUBSCRIPTION, subscription + " not checked: fix the lines above"
                        + " first"));
                return;
            }
            String position = configuration.getSubInitialPosition().name();
            checks.add(DoctorCheck.ok(SUBSCRIPTION, subscription + " receives from " + topic + "; if the receive"
                    + " created it, it starts at " + position + " (subInitialPosition), else it kept its position"
                    + " (the HTTP API does not tell which)"
                    + (othersReceived > 0 ? "; a message was waiting" : "; no message was waiting")));
        }

        // --- 6. measured

        /** Looks for the doctor's own message on the subscription, measures a redelivery if asked, acknowledges it. */
        private void roundTrip() {
            long sentAt = System.nanoTime();
            Answer own = lookForOwn(options.patience());
            if (own == null) {
                return;
            }
            sentToReceivedMillis = (System.nanoTime() - sentAt) / 1_000_000;
            if (options.measuresAckTimeout()) {
                long deliveredAt = System.nanoTime();
                Answer again = lookForOwn(options.measureAckTimeout());
                if (again != null) {
                    Duration redelivery = Duration.ofNanos(System.nanoTime() - deliveredAt);
                    ackTimeoutCheck(redelivery);
                    own = again;
                } else {
                    checks.add(DoctorCheck.warn(ACK_TIMEOUT, "the doctor's message was not delivered again within "
                            + DoctorVerdicts.seconds(options.measureAckTimeout())
                            + "; the component's ackTimeout is "
                            + DoctorVerdicts.seconds(configuration.getAckTimeout()), "measure with a longer"
                            + " --measure-ack-timeout; the consumer's ackTimeout should not exceed the"
                            + " subscription's"));
                }
            }
            Answer ack = calls.acknowledge(own.messageId(), own.ackTopic(), own.subName());
            if (ack.succeeded()) {
                ownAcknowledged = true;
                ackMillis = ack.millis();
            } else {
                ackProblem = ack.quoted() + ": " + ack.message();
            }
        }

        private Answer lookForOwn(Duration patience) {
            long deadline = System.nanoTime() + patience.toNanos();
            while (System.nanoTime() < deadline) {
                Answer received = timed(calls.receive(topic, subscription));
                if (received.succeeded() && payload.equals(received.payload())) {
                    return received;
                }
                if (!received.succeeded() && !received.refusedWith(TdmqHttpErrorCodes.RECEIVE_TIMEOUT)) {
                    return null;
                }
                noteReceived(received, true);
            }
            return null;
        }

        private void noteReceived(Answer received, boolean lookingForOwn) {
            if (received.succeeded()) {
                othersReceived++;
            } else if (received.refusedWith(TdmqHttpErrorCodes.RECEIVE_TIMEOUT) && emptyWaitMillis == null) {
                emptyWaitMillis = received.millis();
            }
        }

        private void ackTimeoutCheck(Duration redelivery) {
            long measured = redelivery.toMillis();
            String found = "the subscription delivered the doctor's unacknowledged message again after "
                           + DoctorVerdicts.seconds(measured) + "; the component's ackTimeout is "
                           + DoctorVerdicts.seconds(configuration.getAckTimeout());
            // A receive sees the redelivery up to one receive's wait late: a second is within what it can tell.
            if (configuration.getAckTimeout() > measured + 1000) {
                checks.add(DoctorCheck.warn(ACK_TIMEOUT, found, "set ackTimeout to " + DoctorVerdicts.seconds(
                        measured) + " or less, so that the consumer never starts a message TDMQ has already"
                        + " handed to another consumer"));
            } else {
                checks.add(DoctorCheck.ok(ACK_TIMEOUT, found));
            }
        }

        private void measuredCheck() {
            List<String> parts = new ArrayList<>();
            if (fastestMillis != Long.MAX_VALUE) {
                parts.add("round trip " + fastestMillis + " ms");
            }
            if (emptyWaitMillis != null) {
                parts.add("an empty receive waited " + emptyWaitMillis + " ms");
            }
            if (sentToReceivedMillis != null) {
                parts.add("sent to received " + sentToReceivedMillis + " ms");
            }
            if (ackMillis != null) {
                parts.add("AcknowledgeMessage " + ackMillis + " ms");
            }
            if (parts.isEmpty()) {
                checks.add(DoctorCheck.skip(MEASURED, "nothing measured"));
            } else if (emptyWaitMillis != null && emptyWaitMillis >= configuration.getReadTimeout()) {
                checks.add(DoctorCheck.warn(MEASURED, String.join(", ", parts), "raise readTimeout above the"
                        + " empty receive's wait (now " + DoctorVerdicts.seconds(configuration.getReadTimeout())
                        + "), or an idle poll fails as a read timeout"));
            } else {
                checks.add(DoctorCheck.ok(MEASURED, String.join(", ", parts)));
            }
        }

        // --- 7. left behind

        private void leftBehindCheck() {
            String others = othersReceived == 0 ? "" : "; " + othersReceived + (othersReceived == 1
                    ? " message" : " messages") + " of others received and left unacknowledged: TDMQ delivers"
                    + " them again after the subscription's ack timeout";
            if (sent == null || !sent.succeeded()) {
                checks.add(DoctorCheck.ok(LEFT_BEHIND, "nothing: the doctor sent no message" + others));
            } else if (ownAcknowledged) {
                checks.add(DoctorCheck.ok(LEFT_BEHIND, "nothing: the doctor's one message was received back and"
                        + " acknowledged" + others));
            } else {
                String why = ackProblem != null ? "its acknowledgement failed (" + ackProblem + ")"
                        : isEmpty(subscription) ? "no subscription was given to take it back"
                        : "it did not come back on " + subscription + " within "
                          + DoctorVerdicts.seconds(options.patience());
                checks.add(DoctorCheck.warn(LEFT_BEHIND, "the doctor's message " + sent.messageId() + " stays on "
                        + topic + ": " + why + others, "its consumers receive it as a message with the payload \""
                        + payload + "\"; next time name a topic no route consumes, or drop it in the route"));
            }
        }

        // --- helpers

        private String sendAction() {
            return configuration.isBatching() ? SEND_BATCH_MESSAGES : SEND_MESSAGES;
        }

        private DoctorReport skipRest(String from) {
            List<String> names = List.of(ENDPOINT, KEYS, ACTION, TOPIC, SUBSCRIPTION, MEASURED, LEFT_BEHIND);
            for (String name : names.subList(names.indexOf(from), names.size())) {
                checks.add(DoctorCheck.skip(name.equals(ACTION) ? "actions" : name,
                        "not checked: fix the line above first"));
            }
            return report();
        }

        /** The checks, with any secret of the configuration that a service message may quote masked. */
        private DoctorReport report() {
            List<String> secrets = new ArrayList<>();
            for (String secret : List.of(nullToEmpty(configuration.getSecretId()),
                    nullToEmpty(configuration.getSecretKey()), nullToEmpty(configuration.getSessionToken()),
                    nullToEmpty(configuration.getStringToken()), nullToEmpty(configuration.getProxyPassword()))) {
                if (secret.length() >= 4) {
                    secrets.add(secret);
                }
            }
            return new DoctorReport(checks.stream().map(check -> new DoctorCheck(check.name(), check.status(),
                    DoctorVerdicts.mask(check.found(), secrets),
                    check.fix() == null ? null : DoctorVerdicts.mask(check.fix(), secrets))).toList());
        }
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
