package io.github.tdmqhttp.emulator.fault;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time added to every API answer: {@code fixed} plus a uniformly random part between 0 and {@code jitter}.
 *
 * @param fixed  added to every answer
 * @param jitter the largest random addition
 */
public record Latency(Duration fixed, Duration jitter) {

    /** No added time. */
    public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

    public Latency {
        if (fixed == null || fixed.isNegative()) {
            throw new IllegalArgumentException("fixed latency must not be negative, was " + fixed);
        }
        if (jitter == null || jitter.isNegative()) {
            throw new IllegalArgumentException("latency jitter must not be negative, was " + jitter);
        }
    }

    /** The delay for one answer, in milliseconds. */
    public long nextDelayMillis() {
        long jitterMillis = jitter.toMillis();
        long random = jitterMillis > 0 ? ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0;
        return fixed.toMillis() + random;
    }

    /** Whether any time is added. */
    public boolean isNone() {
        return fixed.isZero() && jitter.isZero();
    }
}
