package io.github.tdmqhttp.camel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures of one consumer or producer: what JMX, the dev console, the health check and (when present) Micrometer
 * show. Counting is lock-free (LongAdder) and never throws into the message path; everything else (sums, percentiles,
 * the meters' values) is worked out when someone looks.
 */
final class TdmqHttpMetrics {

    /** What a figure belongs to: the meters of both carry the same tags, with this in {@code role}. */
    enum Role {
        consumer,
        producer
    }

    /** The actions a figure per action may name, in a stable order. */
    static final List<String> ACTIONS = List.of(TdmqHttpGateway.RECEIVE_MESSAGE, TdmqHttpGateway.ACKNOWLEDGE_MESSAGE,
            TdmqHttpGateway.SEND_MESSAGES, TdmqHttpGateway.SEND_BATCH_MESSAGES);

    /** Told of every timed call; Micrometer's timers are one. Must not throw (and is guarded anyway). */
    interface CallListener {
        void called(String action, long nanos, boolean failed);
    }

    /** Figures published somewhere (Micrometer's registry); closing takes them back. */
    interface Publication extends AutoCloseable {
        @Override
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(TdmqHttpMetrics.class);
    private static final Publication NOWHERE = () -> {
    };
    /** Whether Micrometer is on the classpath; asked by name, so that no Micrometer class is loaded without it. */
    private static final boolean MICROMETER = isPresent("io.micrometer.core.instrument.MeterRegistry");

    private final Role role;
    private final TdmqHttpEndpoint endpoint;
    private final String subscription;
    private final ToDoubleFunction<String> rates;
    private volatile String routeId = "";

    // Consumer
    private final LongAdder received = new LongAdder();
    private final LongAdder processed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder ackFailures = new LongAdder();
    private final LongAdder redelivered = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skippedPastDeadline = new LongAdder();
    private final LongAdder unpairedBatches = new LongAdder();
    private final LongAdder idlePolls = new LongAdder();
    /** When the last poll succeeded (epoch ms), 0 before the first. */
    private volatile long lastSuccessfulPoll;
    /** The polls that failed since the last one that worked, when the series began (epoch ms), and the last error. */
    private final AtomicLong consecutivePollFailures = new AtomicLong();
    private volatile long failingSince;
    private volatile TdmqHttpException lastPollFailure;
    /** The last acknowledgement that failed after its retries; null before the first. */
    private volatile RuntimeException lastAckFailure;

    // Producer
    private final LongAdder sends = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();

    // Both
    private final LongAdder retries = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder callsInFlight = new LongAdder();
    private final Map<String, CallFigures> calls = new LinkedHashMap<>();
    private volatile CallListener listener;
    private volatile IntSupplier acksWaiting = () -> 0;

    TdmqHttpMetrics(Role role, TdmqHttpEndpoint endpoint) {
        // The limiter the endpoint's gateway waits on, shared by every endpoint that spends the same quota.
        this(role, endpoint, endpoint::currentRate);
    }

    /**
     * @param rates the calls a second the client-side limiter of an action allows now, 0 when it has no limit
     */
    TdmqHttpMetrics(Role role, TdmqHttpEndpoint endpoint, ToDoubleFunction<String> rates) {
        this.role = role;
        this.endpoint = endpoint;
        String configured = endpoint.getConfiguration().getSubscription();
        this.subscription = role == Role.consumer && configured != null ? configured : "";
        this.rates = rates;
        ACTIONS.forEach(action -> calls.put(action, new CallFigures()));
    }

    Role role() {
        return role;
    }

    TdmqHttpEndpoint endpoint() {
        return endpoint;
    }

    String topic() {
        return endpoint.getConfiguration().getTopic();
    }

    /** The subscription of a consumer; empty for a producer. */
    String subscription() {
        return subscription;
    }

    /** The route the consumer or producer serves; empty while unknown. */
    String routeId() {
        return routeId;
    }

    void routeId(String routeId) {
        this.routeId = routeId != null ? routeId : "";
    }

    void listener(CallListener listener) {
        this.listener = listener;
    }

    /** Where the number of acknowledgements waiting comes from: the consumer's ack pool. */
    void acksWaitingFrom(IntSupplier acksWaiting) {
        this.acksWaiting = acksWaiting;
    }

    /**
     * Publishes these figures as Micrometer meters, when metricsEnabled is on and Micrometer is on the classpath;
     * answers what takes them back. A failure to publish is logged and leaves the component working.
     */
    Publication publish(CamelContext context) {
        if (!MICROMETER || !endpoint.getConfiguration().isMetricsEnabled()) {
            return NOWHERE;
        }
        try {
            return TdmqHttpMicrometer.publish(context, this);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("The figures of the tdmq-http {} of {} are not published to Micrometer: {}", role, topic(),
                    e.toString());
            return NOWHERE;
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, TdmqHttpMetrics.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean isMicrometerPresent() {
        return MICROMETER;
    }

    /**
     * Runs one API call, timing it and counting it as in flight meanwhile; a failure is counted (and throttling
     * noted) and rethrown as it is.
     */
    <T> T call(String action, Supplier<T> call) {
        callsInFlight.increment();
        long start = System.nanoTime();
        boolean succeeded = false;
        try {
            T result = call.get();
            succeeded = true;
            return result;
        } catch (TdmqHttpException e) {
            if (TdmqHttpErrorCodes.isThrottling(e.getErrorCode())) {
                throttled.increment();
            }
            throw e;
        } finally {
            callsInFlight.decrement();
            recordCall(action, System.nanoTime() - start, !succeeded);
        }
    }

    private void recordCall(String action, long nanos, boolean callFailed) {
        try {
            CallFigures figures = calls.get(action);
            if (figures != null) {
                figures.record(nanos, callFailed);
            }
            CallListener current = listener;
            if (current != null) {
                current.called(action, nanos, callFailed);
            }
        } catch (RuntimeException e) {
            // A figure is never worth a failed message.
        }
    }

    // What happened; each a counter

    void received(int count) {
        received.add(count);
    }

    void processed(boolean exchangeFailed, int deliveries) {
        processed.increment();
        if (exchangeFailed) {
            failed.increment();
        }
        if (deliveries > 1) {
            redelivered.increment();
        }
    }

    void messageAcknowledged() {
        acknowledged.increment();
    }

    void ackFailed(int count) {
        ackFailures.add(count);
    }

    /** An acknowledgement failed after its retries: counted, and kept as the last one for the health check. */
    void ackFailed(RuntimeException failure) {
        ackFailures.increment();
        lastAckFailure = failure;
    }

    void messageDeadLettered() {
        deadLettered.increment();
    }

    void skippedPastDeadline(int count) {
        skippedPastDeadline.add(count);
    }

    void unpairedBatch() {
        unpairedBatches.increment();
    }

    void idlePoll() {
        idlePolls.increment();
    }

    void sent(int count) {
        sends.add(count);
    }

    void sendFailed(int count) {
        sendFailures.add(count);
    }

    void retried() {
        retries.increment();
    }

    /** A poll's receive worked: ends a series of failures. */
    void pollSucceeded() {
        lastSuccessfulPoll = System.currentTimeMillis();
        if (failingSince != 0) {
            failingSince = 0;
            consecutivePollFailures.set(0);
            lastPollFailure = null;
        }
    }

    /** A poll's receive failed: starts or goes on with a series of failures. */
    void pollFailed(TdmqHttpException failure) {
        lastPollFailure = failure;
        if (consecutivePollFailures.incrementAndGet() == 1) {
            failingSince = System.currentTimeMillis();
        }
    }

    // What is, read when someone looks

    long received() {
        return received.sum();
    }

    long processed() {
        return processed.sum();
    }

    long failed() {
        return failed.sum();
    }

    long acknowledged() {
        return acknowledged.sum();
    }

    long ackFailures() {
        return ackFailures.sum();
    }

    long redelivered() {
        return redelivered.sum();
    }

    long deadLettered() {
        return deadLettered.sum();
    }

    long skippedPastDeadline() {
        return skippedPastDeadline.sum();
    }

    long unpairedBatches() {
        return unpairedBatches.sum();
    }

    long idlePolls() {
        return idlePolls.sum();
    }

    long sends() {
        return sends.sum();
    }

    long sendFailures() {
        return sendFailures.sum();
    }

    long retries() {
        return retries.sum();
    }

    long throttled() {
        return throttled.sum();
    }

    long callsInFlight() {
        return callsInFlight.sum();
    }

    int acksWaiting() {
        try {
            return acksWaiting.getAsInt();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Epoch ms of the last successful poll; 0 before the first. */
    long lastSuccessfulPoll() {
        return lastSuccessfulPoll;
    }

    long consecutivePollFailures() {
        return consecutivePollFailures.get();
    }

    /** Epoch ms of the first failed poll of the series running now; 0 when polls work. */
    long failingSince() {
        return failingSince;
    }

    TdmqHttpException lastPollFailure() {
        return lastPollFailure;
    }

    RuntimeException lastAckFailure() {
        return lastAckFailure;
    }

    /** The calls a second the client-side limiter of an action allows now; 0 when it has no limit. */
    double currentRate(String action) {
        try {
            return rates.applyAsDouble(action);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The actions this role calls, those whose figures are worth showing. */
    List<String> actions() {
        TdmqHttpConfiguration configuration = endpoint.getConfiguration();
        String send = configuration.isBatching() ? TdmqHttpGateway.SEND_BATCH_MESSAGES : TdmqHttpGateway.SEND_MESSAGES;
        if (role == Role.producer) {
            return List.of(send, TdmqHttpGateway.ACKNOWLEDGE_MESSAGE);
        }
        // A consumer sends only to its dead letter topic.
        return configuration.getMaxDeliveries() > 0
                ? List.of(TdmqHttpGateway.RECEIVE_MESSAGE, TdmqHttpGateway.ACKNOWLEDGE_MESSAGE, send)
                : List.of(TdmqHttpGateway.RECEIVE_MESSAGE, TdmqHttpGateway.ACKNOWLEDGE_MESSAGE);
    }

    CallFigures calls(String action) {
        return calls.get(action);
    }

    /**
     * The calls of one action: how many, how many failed, and how long they took, as a histogram with four buckets per
     * doubling of the time (so a percentile read from it is at most a quarter above the true value), since the start.
     */
    static final class CallFigures {

        /** Four buckets per power of two of microseconds, from 1 µs to over an hour. */
        private static final int BUCKETS = 4 * 34;

        private final LongAdder count = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
        private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);

        void record(long nanos, boolean failed) {
            long time = Math.max(0, nanos);
            count.increment();
            if (failed) {
                failures.increment();
            }
            totalNanos.add(time);
            maxNanos.accumulate(time);
            histogram.incrementAndGet(bucketOf(TimeUnit.NANOSECONDS.toMicros(time)));
        }

        long count() {
            return count.sum();
        }

        long failures() {
            return failures.sum();
        }

        double meanMillis() {
            long calls = count.sum();
            return calls == 0 ? 0 : totalNanos.sum() / 1e6 / calls;
        }

        double maxMillis() {
            return maxNanos.get() / 1e6;
        }

        /** The time under which {@code quantile} (0 to 1) of the calls ended, in ms; 0 before the first call. */
        double percentileMillis(double quantile) {
            long[] counts = new long[BUCKETS];
            long total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                counts[i] = histogram.get(i);
                total += counts[i];
            }
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(quantile * total);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank && counts[i] > 0) {
                    return Math.min(upperBoundMicros(i) / 1000.0, maxMillis());
                }
            }
            return maxMillis();
        }

        /** Buckets 0 to 3 hold 0 to 3 µs; bucket 4 + 4·e + s holds [(4 + s)·2^e, (5 + s)·2^e) µs. */
        static int bucketOf(long micros) {
            if (micros < 4) {
                return (int) Math.max(0, micros);
            }
            int exponent = 63 - Long.numberOfLeadingZeros(micros) - 2;
            int sub = (int) (micros >>> exponent) - 4;
            return Math.min(BUCKETS - 1, 4 * exponent + sub + 4);
        }

        /** The largest time, in µs, that a bucket holds (rounded up to the next bucket's start). */
        static long upperBoundMicros(int bucket) {
            if (bucket < 4) {
                return bucket + 1;
            }
            int exponent = bucket / 4 - 1;
            int sub = bucket % 4;
            return (long) (5 + sub) << exponent;
        }
    }
}
