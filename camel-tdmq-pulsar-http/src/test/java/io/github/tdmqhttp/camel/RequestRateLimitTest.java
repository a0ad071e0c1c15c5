package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.RequestRateLimiter;

import java.util.ArrayList;
import java.util.List;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * maxRequestsPerSecond keeps a busy producer under the service's per-action quota, where it is not throttled at all;
 * without it the same load is throttled and only the retries get it through.
 */
class RequestRateLimitTest extends CamelTestSupport {

    private static final int QUOTA = 50;

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder().rateLimit(QUOTA)
            .topic("pulsar-quota/ns/limited").topic("pulsar-quota/ns/unlimited"));

    private long throttledBefore;

    @BeforeEach
    void startACleanQuotaWindow() {
        emulator.settings().rateLimit(QUOTA);
        throttledBefore = emulator.get().requestStats().get("SendMessages").throttled();
    }

    private static List<String> bodies(int count) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add("quota-" + i);
        }
        return bodies;
    }

    private long throttled() {
        return emulator.get().requestStats().get("SendMessages").throttled() - throttledBefore;
    }

    @Test
    void theLimitKeepsABusyProducerUnderTheQuotaWhereTheSameLoadWithoutItIsThrottled() {
        Exchange limited = template.request(emulator.camelUri("pulsar-quota/ns/limited") + "&maxRequestsPerSecond=45",
                e -> e.getMessage().setBody(bodies(120)));
        long throttledWithLimit = throttled();

        emulator.settings().rateLimit(QUOTA);
        Exchange unlimited = template.request(emulator.camelUri("pulsar-quota/ns/unlimited")
                                              + "&maxRequestsPerSecond=0&maxRetries=30&retryInitialDelay=50",
                e -> e.getMessage().setBody(bodies(120)));
        long throttledWithoutLimit = throttled() - throttledWithLimit;

        assertThat(limited.getException()).isNull();
        assertThat(unlimited.getException()).isNull();
        assertThat(limited.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class)).hasSize(120);
        // A few calls that left on time can still reach the server together; retries take care of those.
        assertThat(throttledWithLimit).isLessThan(12);
        assertThat(throttledWithoutLimit).isGreaterThan(throttledWithLimit * 3 + 10);
    }

    @Test
    void aThrottledCallHalvesTheRateAndCallsThatPassWinItBack() {
        RequestRateLimiter limiter = new RequestRateLimiter(1000);

        limiter.throttled();
        limiter.throttled();
        assertThat(limiter.currentRate()).as("throttled answers arriving together count once").isCloseTo(500, within(1.0));
        for (int i = 0; i < 1000; i++) {
            limiter.passed();
        }
        assertThat(limiter.currentRate()).isGreaterThan(990).isLessThanOrEqualTo(1000);
    }

    @Test
    void aLimitBelowTenASecondIsNeverRaisedByThrottling() {
        RequestRateLimiter limiter = new RequestRateLimiter(5);

        limiter.throttled();
        assertThat(limiter.currentRate()).isLessThanOrEqualTo(5);
        for (int i = 0; i < 1000; i++) {
            limiter.passed();
        }
        assertThat(limiter.currentRate()).isCloseTo(5, within(0.01));
    }

    @Test
    void theLimiterSpacesCallsEvenly() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(50);
        long start = System.nanoTime();
        for (int i = 0; i < 11; i++) {
            limiter.acquire();
        }
        // Ten intervals of 20 ms at least; a slow machine only makes it longer.
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(195);
    }
}
