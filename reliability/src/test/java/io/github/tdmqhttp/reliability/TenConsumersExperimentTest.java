package io.github.tdmqhttp.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

class TenConsumersExperimentTest {

    @Test
    void experiment() throws Exception {
        int consumers = 10;
        int each = Integer.getInteger("exp.each", 1500);
        TdmqEmulator.Builder builder = TdmqEmulator.builder().ackTimeout(Duration.ofSeconds(5))
                .receiveWait(Duration.ofMillis(300)).rateLimit(Integer.getInteger("exp.serverRate", 1000)).latency(Duration.ofMillis(20), Duration.ZERO);
        for (int c = 0; c < consumers; c++) {
            builder.topic("pulsar-r/ns/t" + c);
        }
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        try (TdmqEmulator emulator = builder.build().start();
             CamelContext camel = EmulatedTdmqHttp.context(emulator)) {
            for (int c = 0; c < consumers; c++) {
                for (int i = 0; i < each; i++) {
                    emulator.publish("pulsar-r/ns/t" + c, "t" + c + "-" + i);
                }
            }
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (int c = 0; c < consumers; c++) {
                        from("tdmq-http:pulsar-r/ns/t" + c + "?subscription=s&initialDelay=0&ackTimeout=5000&maxRequestsPerSecond=" + Integer.getInteger("exp.rate", 1000))
                                .process(e -> processed.computeIfAbsent(e.getMessage().getBody(String.class),
                                        k -> new AtomicInteger()).incrementAndGet());
                    }
                }
            });
            long start = System.nanoTime();
            camel.start();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
                long acked = 0;
                for (int c = 0; c < consumers; c++) {
                    acked += Rig.subscription(emulator, "pulsar-r/ns/t" + c, "s").acked();
                }
                return acked == (long) consumers * each;
            });
            double secs = (System.nanoTime() - start) / 1e9;
            long twice = processed.values().stream().filter(v -> v.get() > 1).count();
            long redelivered = 0;
            for (int c = 0; c < consumers; c++) {
                redelivered += Rig.subscription(emulator, "pulsar-r/ns/t" + c, "s").redelivered();
            }
            System.out.printf("EXPERIMENT: %d processed, %d twice, %d redelivered, %.1f s, %.0f msg/s, throttled %s%n",
                    processed.size(), twice, redelivered, secs, consumers * each / secs, emulator.requestStats());
        }
    }
}
