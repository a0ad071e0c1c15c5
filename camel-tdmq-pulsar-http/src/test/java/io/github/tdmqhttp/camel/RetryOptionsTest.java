package io.github.tdmqhttp.camel;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retry option out of range stops the route from starting, with a message that names the option, its value and
 * what it may be, instead of being quietly replaced by another value.
 */
class RetryOptionsTest extends CamelTestSupport {

    private static final String ENDPOINT = "tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&endpoint=http://127.0.0.1:9"
                                           + "&secretId=RAW(AKIDtest)&secretKey=RAW(test-key)";

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxRetries=-1                              | maxRetries is -1, but must be 0 (no retries) or more",
        "retryInitialDelay=-5                       | retryInitialDelay is -5 ms, but must be 0 ms or more",
        "retryInitialDelay=500&retryMaxDelay=100    | retryMaxDelay is 100 ms, but must be retryInitialDelay (500 ms) or more",
        "retryMultiplier=0.5                        | retryMultiplier is 0.5, but must be 1.0 (every backoff as long as"
    })
    void aRetryOptionOutOfRangeStopsAProducerRouteAndSaysWhatItMayBe(String options, String message) {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(ENDPOINT + "&" + options);
            }
        })).satisfies(failure -> assertThat(rootCause(failure))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message));
    }

    @Test
    void aRetryOptionOutOfRangeStopsAConsumerRouteToo() {
        assertThatThrownBy(() -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(ENDPOINT + "&subscription=s&retryMultiplier=-2").to("mock:out");
            }
        })).satisfies(failure -> assertThat(rootCause(failure)).hasMessageContaining("retryMultiplier is -2.0"));
    }

    @Test
    void noRetriesAndTheSmallestBackoffsAreAccepted() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(ENDPOINT + "&maxRetries=0&retryInitialDelay=0&retryMaxDelay=0&retryMultiplier=1");
            }
        });

        assertThat(context.getRoutes()).hasSize(1);
    }
}
