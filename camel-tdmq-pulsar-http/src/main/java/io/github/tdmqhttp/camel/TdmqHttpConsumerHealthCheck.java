package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.ScheduledPollConsumerHealthCheck;

/**
 * Camel's check of a polling consumer, which is DOWN while polls fail, with what a person needs to act on it: while
 * DOWN, the error code and message of the last failed poll, its request id, how many polls in a row failed and since
 * when; always, when the last poll succeeded and how many received messages it holds unacknowledged (and may hold);
 * once acknowledgements failed, how many and the last error. It stays DOWN until a poll works again, also while the
 * scheduler's backoff retries.
 */
final class TdmqHttpConsumerHealthCheck extends ScheduledPollConsumerHealthCheck {

    static final String ERROR_CODE = "tdmq.error.code";
    static final String ERROR_MESSAGE = "tdmq.error.message";
    static final String REQUEST_ID = "tdmq.request.id";
    static final String CONSECUTIVE_FAILURES = "tdmq.consecutive.failures";
    static final String FAILING_SINCE = "tdmq.failing.since";
    static final String LAST_SUCCESSFUL_POLL = "tdmq.last.successful.poll";
    static final String ACK_FAILURES = "tdmq.ack.failures";
    static final String ACK_ERROR_CODE = "tdmq.ack.error.code";
    static final String ACK_ERROR_MESSAGE = "tdmq.ack.error.message";
    static final String UNACKNOWLEDGED = "tdmq.unacknowledged";
    static final String UNACKNOWLEDGED_LIMIT = "tdmq.unacknowledged.limit";

    private final ScheduledPollConsumer consumer;
    private final TdmqHttpMetrics metrics;
    private final IntSupplier unacknowledged;
    private final IntSupplier unacknowledgedLimit;

    /**
     * @param metrics             the consumer's figures
     * @param unacknowledged      the received messages the consumer holds unacknowledged now
     * @param unacknowledgedLimit how many it may hold now
     */
    TdmqHttpConsumerHealthCheck(ScheduledPollConsumer consumer, String id, TdmqHttpMetrics metrics,
                                IntSupplier unacknowledged, IntSupplier unacknowledgedLimit) {
        super(consumer, id);
        this.consumer = consumer;
        this.metrics = metrics;
        this.unacknowledged = unacknowledged;
        this.unacknowledgedLimit = unacknowledgedLimit;
    }

    @Override
    public Result call(Map<String, Object> options) {
        Result result = super.call(options);
        long lastSuccessfulPoll = metrics.lastSuccessfulPoll();
        TdmqHttpException failure = metrics.lastPollFailure();
        long failures = metrics.consecutivePollFailures();
        boolean failing = failure != null && failures > 0 && isEnabled();
        long ackFailures = metrics.ackFailures();
        if (lastSuccessfulPoll == 0 && !failing && ackFailures == 0) {
            return result;
        }
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this).state(result.getState())
                .details(result.getDetails());
        result.getMessage().ifPresent(builder::message);
        result.getError().ifPresent(builder::error);
        if (failing && result.getState() == State.UP) {
            // Camel's check reads the scheduler's error counter, which the backoff clears before each retry: while
            // that retry is in flight it would say UP although no poll has worked yet. Polls fail until one works.
            builder.down().error(failure).detail(FAILURE_ERROR_COUNT, failures)
                    .message("Consumer failed polling " + failures + " times route: " + consumer.getRouteId()
                             + " (tdmq-http:" + metrics.topic() + ")");
        }
        if (failing) {
            // Read from the consumer's figures rather than added to the scheduler's error details, which pollers
            // write without a lock.
            builder.detail(ERROR_CODE, failure.getErrorCode()).detail(ERROR_MESSAGE, failure.getMessage())
                    .detail(CONSECUTIVE_FAILURES, failures);
            if (failure.getRequestId() != null) {
                builder.detail(REQUEST_ID, failure.getRequestId());
            }
            String since = instant(metrics.failingSince());
            if (since != null) {
                builder.detail(FAILING_SINCE, since);
            }
        }
        if (lastSuccessfulPoll != 0) {
            builder.detail(LAST_SUCCESSFUL_POLL, instant(lastSuccessfulPoll));
        }
        builder.detail(UNACKNOWLEDGED, unacknowledged.getAsInt())
                .detail(UNACKNOWLEDGED_LIMIT, unacknowledgedLimit.getAsInt());
        // Failed acknowledgements do not make the consumer DOWN (its messages come back), but they show here.
        if (ackFailures > 0) {
            builder.detail(ACK_FAILURES, ackFailures);
            RuntimeException ackFailure = metrics.lastAckFailure();
            if (ackFailure instanceof TdmqHttpException known) {
                builder.detail(ACK_ERROR_CODE, known.getErrorCode());
            }
            if (ackFailure != null) {
                builder.detail(ACK_ERROR_MESSAGE, ackFailure.getMessage());
            }
        }
        return builder.build();
    }

    /** An epoch-ms time as ISO-8601 text, as JSON readers and people both read it; null for 0 (never). */
    static String instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
