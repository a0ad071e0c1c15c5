package io.github.tdmqhttp.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long MILLI = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000_000 * MILLI);

    /**
     * The first requests of an action are admitted whatever the clock says. An earlier limiter filled a new window
     * with "one second before its creator's time", so a request timed a moment before the creator (two threads racing
     * to open the window) was refused: an emulator test saw RequestLimitExceeded on the second request it ever made.
     */
    @Test
    void theFirstRequestsUpToTheLimitAreAdmittedWhateverTheClockSays() {
        RateLimiter limiter = new RateLimiter(3, clock::get);

        assertThat(limiter.tryAcquire("SendMessages")).isTrue();
        clock.addAndGet(-MILLI);
        assertThat(limiter.tryAcquire("SendMessages")).isTrue();
        assertThat(limiter.tryAcquire("SendMessages")).isTrue();
        assertThat(limiter.tryAcquire("SendMessages")).isFalse();
    }

    @Test
    void atMostTheLimitInAnyOneSecondWindowCountedPerAction() {
        RateLimiter limiter = new RateLimiter(2, clock::get);

        assertThat(limiter.tryAcquire("a")).isTrue();
        clock.addAndGet(600 * MILLI);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).as("two within the last second").isFalse();
        assertThat(limiter.tryAcquire("b")).as("another action").isTrue();
        clock.addAndGet(400 * MILLI);
        assertThat(limiter.tryAcquire("a")).as("the first has left the window").isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
    }

    @Test
    void eachActionSecretIdAndAccessRegionHasAWindowOfItsOwn() {
        RateLimiter limiter = new RateLimiter(1, clock::get);
        RateLimiter.Quota first = new RateLimiter.Quota("SendMessages", "AKIDONE", "ap-guangzhou");

        assertThat(limiter.tryAcquire(first)).isTrue();
        assertThat(limiter.tryAcquire(new RateLimiter.Quota("SendMessages", "AKIDONE", "ap-guangzhou"))).isFalse();
        assertThat(limiter.tryAcquire(new RateLimiter.Quota("SendMessages", "AKIDTWO", "ap-guangzhou")))
                .as("another sub-account").isTrue();
        assertThat(limiter.tryAcquire(new RateLimiter.Quota("SendMessages", "AKIDONE", "ap-shanghai")))
                .as("another access region").isTrue();
        assertThat(limiter.tryAcquire(new RateLimiter.Quota("ReceiveMessage", "AKIDONE", "ap-guangzhou")))
                .as("another action").isTrue();
    }

    @Test
    void zeroTurnsTheLimitOffAndAChangeStartsTheCountAfresh() {
        RateLimiter limiter = new RateLimiter(1, clock::get);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();

        limiter.limit(0);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();

        limiter.limit(1);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
    }
}
