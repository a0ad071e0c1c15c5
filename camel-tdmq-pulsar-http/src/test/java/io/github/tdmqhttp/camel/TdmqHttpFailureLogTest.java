package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.consumer.TdmqHttpFailureLog;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An outage, told by the clock of the test: one WARN, a summary every 30 s, one INFO at the end, no stack trace. */
class TdmqHttpFailureLogTest {

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong passedOn = new AtomicLong();
    private final ExceptionHandler fallback = new ExceptionHandler() {
        @Override
        public void handleException(Throwable exception) {
            passedOn.incrementAndGet();
        }

        @Override
        public void handleException(String message, Throwable exception) {
            passedOn.incrementAndGet();
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            passedOn.incrementAndGet();
        }
    };
    private final TdmqHttpFailureLog log = new TdmqHttpFailureLog(fallback, "the consumer of t", clock::get,
            Duration.ofSeconds(30));

    private static TdmqHttpException networkError() {
        return new TdmqHttpException("ReceiveMessage", "pulsar-x/ns/t", TdmqHttpErrorCodes.NETWORK_ERROR, null,
                "no answer (ConnectException: Connection refused)", null);
    }

    @Test
    void aOneHourOutageOfTwoPollsASecondWritesOneLineAMinuteOrSoAndOneAtTheEnd() {
        try (LogCapture logs = LogCapture.debug()) {
            for (int poll = 0; poll < 7200; poll++) {
                clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
                log.handleException("Failed polling endpoint: tdmq-http://...", networkError());
            }
            assertThat(log.isFailing()).isTrue();
            log.succeeded();
            log.succeeded();

            List<String> written = logs.lines().stream().filter(line -> !line.startsWith("DEBUG")).toList();
            assertThat(written).hasSize(1 + 119 + 1);
            assertThat(written.get(0)).startsWith("WARN").contains("the consumer of t is failing", "NetworkError",
                    "Connection refused", "summarised every 30 s").doesNotContain("Failed polling endpoint");
            assertThat(written.get(1)).startsWith("WARN")
                    .contains("still failing: 60 failed call(s) in the last 30 s, the last with NetworkError");
            assertThat(written.get(120)).startsWith("INFO").contains("works again after 3599 s (7200 failed call(s))");
            assertThat(written).noneMatch(line -> line.contains("\tat "));
            assertThat(logs.lines()).filteredOn(line -> line.startsWith("DEBUG")).first().asString()
                    .contains("\tat ");
        }
        assertThat(passedOn).hasValue(0);
        assertThat(log.isFailing()).isFalse();
    }

    @Test
    void whatIsNotAFailedCallGoesToCamelsHandler() {
        log.handleException("a bug", new IllegalStateException("not an API failure"));

        assertThat(passedOn).hasValue(1);
        assertThat(log.isFailing()).isFalse();
    }

    @Test
    void anErrorIsOneErrorLineWithoutAStackTrace() {
        try (LogCapture logs = LogCapture.debug()) {
            log.handleException("Failed polling endpoint", new OutOfMemoryError("Java heap space"));

            assertThat(logs.lines()).filteredOn(line -> line.startsWith("ERROR")).singleElement().asString()
                    .contains("OutOfMemoryError", "Java heap space", "polling goes on", "maxNumBytes")
                    .doesNotContain("\tat ");
        }
        assertThat(passedOn).hasValue(0);
    }
}
