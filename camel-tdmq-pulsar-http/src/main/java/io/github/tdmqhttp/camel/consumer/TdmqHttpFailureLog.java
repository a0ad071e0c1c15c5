package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpException;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.LoggingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's exception handler while the user has not set one: failed API calls are logged as a series, not one
 * stack trace per poll. The first failure of a series is one WARN line; while the series lasts, one summary line at
 * most every {@link #SUMMARY_PERIOD}; the end of the series, one INFO line with its length. Stack traces go to DEBUG.
 * An Error in a poll (such as an OutOfMemoryError) is one ERROR line. Anything else that is not a failed API call (a
 * bug, an unexpected exception) goes to the handler Camel gave the consumer, which logs it in full.
 */
public final class TdmqHttpFailureLog implements ExceptionHandler {

    static final Duration SUMMARY_PERIOD = Duration.ofSeconds(30);
    /** The consumer's category, so that a level set for the consumer applies to its failure lines too. */
    private static final Logger LOG = LoggerFactory.getLogger("io.github.tdmqhttp.camel.TdmqHttpConsumer");

    private final ExceptionHandler fallback;
    private final String subject;
    private final LongSupplier clock;
    private final long summaryPeriod;

    // One series at a time; the few fields change together, under this object's lock.
    private long seriesStart = -1;
    /** Whether a series runs, readable without the lock: every successful call asks. */
    private volatile boolean failing;
    private long lastSummary;
    private long failures;
    private long failuresSinceSummary;
    private String lastCode;

    /**
     * Puts a failure log in the place of a consumer's default exception handler, which logs every failed poll with
     * its stack trace. A handler the user configured (or the bridge to the route's error handler) is kept.
     *
     * @param  subject what is failing, for the log lines
     * @return         the log in place, or null when the consumer keeps a handler of the user's
     */
    public static TdmqHttpFailureLog installOn(DefaultConsumer consumer, String subject) {
        ExceptionHandler handler = consumer.getExceptionHandler();
        if (handler instanceof TdmqHttpFailureLog log) {
            return log;
        }
        if (handler != null && !(handler instanceof LoggingExceptionHandler)) {
            return null;
        }
        TdmqHttpFailureLog log = new TdmqHttpFailureLog(handler != null ? handler
                : new LoggingExceptionHandler(consumer.getEndpoint().getCamelContext(), consumer.getClass()), subject);
        consumer.setExceptionHandler(log);
        return log;
    }

    /**
     * @param fallback the handler for everything that is not a failed API call
     * @param subject  what is failing, for the log lines, e.g. the consumer's topic and subscription
     */
    public TdmqHttpFailureLog(ExceptionHandler fallback, String subject) {
        this(fallback, subject, System::nanoTime, SUMMARY_PERIOD);
    }

    public TdmqHttpFailureLog(ExceptionHandler fallback, String subject, LongSupplier clock, Duration summaryPeriod) {
        this.fallback = fallback;
        this.subject = subject;
        this.clock = clock;
        this.summaryPeriod = summaryPeriod.toNanos();
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception instanceof Error error) {
            // Logged without a stack trace: an OutOfMemoryError must not be followed by an allocation-hungry trace.
            LOG.error("{}: {} in a poll ({}); polling goes on{}", subject, error.getClass().getSimpleName(),
                    error.getMessage(), error instanceof OutOfMemoryError
                            ? " with smaller batches. Lower maxMessagesPerPoll or maxNumBytes, or give the JVM more"
                              + " heap" : "");
            LOG.debug("{}: the error in full", subject, error);
            return;
        }
        TdmqHttpException failure = apiFailure(exception);
        if (failure == null) {
            fallback.handleException(message, exchange, exception);
            return;
        }
        // Camel's own words for a failed poll repeat the endpoint URI and add nothing to the failure's message.
        boolean pollFailure = message != null && message.toLowerCase(Locale.ROOT).contains("failed polling");
        failed(failure, pollFailure ? null : message);
    }

    /** A call succeeded: ends the series of failures, if one is running, with one INFO line. */
    public void succeeded() {
        if (!failing) {
            return;
        }
        long started;
        long failed;
        synchronized (this) {
            if (seriesStart < 0) {
                return;
            }
            started = seriesStart;
            failed = failures;
            seriesStart = -1;
            failing = false;
        }
        LOG.info("{} works again after {} ({} failed call(s))", subject, format(clock.getAsLong() - started), failed);
    }

    /** Whether a series of failures is running. */
    public boolean isFailing() {
        return failing;
    }

    private void failed(TdmqHttpException failure, String message) {
        long now = clock.getAsLong();
        boolean first;
        long summarised = 0;
        long since = 0;
        String code;
        synchronized (this) {
            first = seriesStart < 0;
            if (first) {
                seriesStart = now;
                failing = true;
                lastSummary = now;
                failures = 0;
                failuresSinceSummary = 0;
            }
            failures++;
            if (!first) {
                // The first failure has a line of its own; summaries count those after it.
                failuresSinceSummary++;
            }
            lastCode = failure.getErrorCode();
            if (!first && now - lastSummary >= summaryPeriod) {
                summarised = failuresSinceSummary;
                since = now - lastSummary;
                lastSummary = now;
                failuresSinceSummary = 0;
            }
            code = lastCode;
        }
        if (first) {
            LOG.warn("{} is failing: {}{}. Further failures are summarised every {} s until it works again (stack"
                     + " traces at DEBUG)", subject, failure.getMessage(), message != null ? " [" + message + "]" : "",
                    TimeUnit.NANOSECONDS.toSeconds(summaryPeriod));
        } else if (summarised > 0) {
            LOG.warn("{} is still failing: {} failed call(s) in the last {}, the last with {}", subject, summarised,
                    format(since), code);
        }
        LOG.debug("{} failed{}", subject, message != null ? ": " + message : "", failure);
    }

    private static TdmqHttpException apiFailure(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof TdmqHttpException failure) {
                return failure;
            }
        }
        return null;
    }

    private static String format(long nanos) {
        Duration duration = Duration.ofNanos(nanos);
        return duration.toSeconds() >= 1 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
