package io.github.tdmqhttp.camel.metrics;

import io.github.tdmqhttp.camel.TdmqHttpActions;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;


/**
 * The figures of one consumer or producer: what JMX, the dev console, the health check and (when present) Micrometer
 * show. Counting is lock-free (LongAdder) and never throws into the message path; everything else (sums, percentiles,
 * the meters' values) is worked out when someone looks.
 */
public final class TdmqHttpMetrics {

    /** What a figure belongs to: the meters of both carry the same tags, with this in {@code role}. */
    public enum Role {
        consumer,
        producer
    }

    /** The actions a figure per action may name, in a stable order. */
    static final List<String> ACTIONS = List.of(TdmqHttpActions.RECEIVE_MESSAGE, TdmqHttpActions.ACKNOWLEDGE_MESSAGE,
            TdmqHttpActions.SEND_MESSAGES, TdmqHttpActions.SEND_BATCH_MESSAGES);

    /** Told of every timed call; Micrometer's timers are one. Must not throw (and is guarded anyway). */
    public interface CallListener {
        void called(String action, long nanos, boolean failed);
    }

    /** Figures published somewhere (Micrometer's registry); closing takes them back. */
    public interface Publication extends AutoCloseable {
        @Override
        void close();
    }


    private final Role role;
    private final String endpointKey;
    private final TdmqHttpConfiguration configuration;
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

    /**
     * @param endpointKey   the key of the endpoint the figures are of
     * @param configuration that endpoint's configuration
     * @param rates         the calls a second the client-side limiter of an action allows now, 0 when it has no
     *                      limit (the limiter the endpoint's gateway waits on, shared by every endpoint that spends
     *                      the same quota)
     */
    public TdmqHttpMetrics(Role role, String endpointKey, TdmqHttpConfiguration configuration,
                           ToDoubleFunction<String> rates) {
        this.role = role;
        this.endpointKey = endpointKey;
        this.configuration = configuration;
        String configured = configuration.getSubscription();
        this.subscription = role == Role.consumer && configured != null ? configured : "";
        this.rates = rates;
        ACTIONS.forEach(action -> calls.put(action, new CallFigures()));
    }

    public Role role() {
        return role;
    }

    /** The key of the endpoint these figures are of. */
    public String endpointKey() {
        return endpointKey;
    }

    public TdmqHttpConfiguration configuration() {
        return configuration;
    }

    public String topic() {
        return configuration.getTopic();
    }

    /** The subscription of a consumer; empty for a producer. */
    public String subscription() {
        return subscription;
    }

    /** The route the consumer or producer serves; empty while unknown. */
    public String routeId() {
        return routeId;
    }

    public void routeId(String routeId) {
        this.routeId = routeId != null ? routeId : "";
    }

    public void listener(CallListener listener) {
        this.listener = listener;
    }

    /** Where the number of acknowledgements waiting comes from: the consumer's ack pool. */
    public void acksWaitingFrom(IntSupplier acksWaiting) {
        this.acksWaiting = acksWaiting;
    }

    /**
     * Runs one API call, timing it and counting it as in flight meanwhile; a failure is counted (and throttling
     * noted) and rethrown as it is.
     */
    public <T> T call(String action, Supplier<T> call) {
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

    public void received(int count) {
        received.add(count);
    }

    public void processed(boolean exchangeFailed, int deliveries) {
        processed.increment();
        if (exchangeFailed) {
            failed.increment();
        }
        if (deliveries > 1) {
            redelivered.increment();
        }
    }

    public void messageAcknowledged() {
        acknowledged.increment();
    }

    public void ackFailed(int count) {
        ackFailures.add(count);
    }

    /** An acknowledgement failed after its retries: counted, and kept as the last one for the health check. */
    public void ackFailed(RuntimeException failure) {
        ackFailures.increment();
        lastAckFailure = failure;
    }

    public void messageDeadLettered() {
        deadLettered.increment();
    }

    public void skippedPastDeadline(int count) {
        skippedPastDeadline.add(count);
    }

    public void unpairedBatch() {
        unpairedBatches.increment();
    }

    public void idlePoll() {
        idlePolls.increment();
    }

    public void sent(int count) {
        sends.add(count);
    }

    public void sendFailed(int count) {
        sendFailures.add(count);
    }

    public void retried() {
        retries.increment();
    }

    /** A poll's receive worked: ends a series of failures. */
    public void pollSucceeded() {
        lastSuccessfulPoll = System.currentTimeMillis();
        if (failingSince != 0) {
            failingSince = 0;
            consecutivePollFailures.set(0);
            lastPollFailure = null;
        }
    }

    /** A poll's receive failed: starts or goes on with a series of failures. */
    public void pollFailed(TdmqHttpException failure) {
        lastPollFailure = failure;
        if (consecutivePollFailures.incrementAndGet() == 1) {
            failingSince = System.currentTimeMillis();
        }
    }

    // What is, read when someone looks

    public long received() {
        return received.sum();
    }

    public long processed() {
        return processed.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long acknowledged() {
        return acknowledged.sum();
    }

    public long ackFailures() {
        return ackFailures.sum();
    }

    public long redelivered() {
        return redelivered.sum();
    }

    public long deadLettered() {
        return deadLettered.sum();
    }

    public long skippedPastDeadline() {
        return skippedPastDeadline.sum();
    }

    public long unpairedBatches() {
        return unpairedBatches.sum();
    }

    public long idlePolls() {
        return idlePolls.sum();
    }

    public long sends() {
        return sends.sum();
    }

    public long sendFailures() {
        return sendFailures.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long throttled() {
        return throttled.sum();
    }

    public long callsInFlight() {
        return callsInFlight.sum();
    }

    public int acksWaiting() {
        try {
            return acksWaiting.getAsInt();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Epoch ms of the last successful poll; 0 before the first. */
    public long lastSuccessfulPoll() {
        return lastSuccessfulPoll;
    }

    public long consecutivePollFailures() {
        return consecutivePollFailures.get();
    }

    /** Epoch ms of the first failed poll of the series running now; 0 when polls work. */
    public long failingSince() {
        return failingSince;
    }

    public TdmqHttpException lastPollFailure() {
        return lastPollFailure;
    }

    public RuntimeException lastAckFailure() {
        return lastAckFailure;
    }

    /** The calls a second the client-side limiter of an action allows now; 0 when it has no limit. */
    public double currentRate(String action) {
        try {
            return rates.applyAsDouble(action);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The actions this role calls, those whose figures are worth showing. */
    public List<String> actions() {
        String send = configuration.isBatching() ? TdmqHttpActions.SEND_BATCH_MESSAGES : TdmqHttpActions.SEND_MESSAGES;
        if (role == Role.producer) {
            return List.of(send, TdmqHttpActions.ACKNOWLEDGE_MESSAGE);
        }
        // A consumer sends only to its dead letter topic.
        return configuration.getMaxDeliveries() > 0
                ? List.of(TdmqHttpActions.RECEIVE_MESSAGE, TdmqHttpActions.ACKNOWLEDGE_MESSAGE, send)
                : List.of(TdmqHttpActions.RECEIVE_MESSAGE, TdmqHttpActions.ACKNOWLEDGE_MESSAGE);
    }

    /** One line per action that was called: calls, failures, latency in ms, and the limiter's rate now. */
    public String callLines() {
        StringBuilder lines = new StringBuilder();
        for (String action : actions()) {
            CallFigures calls = calls(action);
            if (calls.count() == 0) {
                continue;
            }
            lines.append(String.format(Locale.ROOT, "%s: %d calls, %d failed, mean %.2f ms, p50 %.2f ms, p95 %.2f ms,"
                                                    + " p99 %.2f ms, max %.2f ms, rate limit %.0f/s\n",
                    action, calls.count(), calls.failures(), calls.meanMillis(), calls.percentileMillis(0.5),
                    calls.percentileMillis(0.95), calls.percentileMillis(0.99), calls.maxMillis(),
                    currentRate(action)));
        }
        return lines.toString();
    }

    public CallFigures calls(String action) {
        return calls.get(action);
    }

    /**
     * The calls of one action: how many, how many failed, and how long they took, as a histogram with four buckets per
     * doubling of the time (so a percentile read from it is at most a quarter above the true value), since the start.
     */
    public static final class CallFigures {

        /** Four buckets per power of two of microseconds, from 1 µs to over an hour. */
        private static final int BUCKETS = 4 * 34;

        private final LongAdder count = new LongAdder();
        private final LongAdder failures = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
        private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);

        public void record(long nanos, boolean failed) {
            long time = Math.max(0, nanos);
            count.increment();
            if (failed) {
                failures.increment();
            }
            totalNanos.add(time);
            maxNanos.accumulate(time);
            histogram.incrementAndGet(bucketOf(TimeUnit.NANOSECONDS.toMicros(time)));
        }

        public long count() {
            return count.sum();
        }

        public long failures() {
            return failures.sum();
        }

        public double meanMillis() {
            long calls = count.sum();
            return calls == 0 ? 0 : totalNanos.sum() / 1e6 / calls;
        }

        public double maxMillis() {
            return maxNanos.get() / 1e6;
        }

        /** The time under which {@code quantile} (0 to 1) of the calls ended, in ms; 0 before the first call. */
        public double percentileMillis(double quantile) {
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
