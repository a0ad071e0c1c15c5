package io.github.tdmqhttp.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * How long a message takes from the start of its SendMessages call to the consumer's route, at a steady rate, with the
 * consumer's defaults; and what an idle consumer costs in calls. The sender is the raw SDK, paced by a timer, with
 * enough threads to keep the rate at any latency; each payload carries its send time.
 */
final class LatencyProbe {

    /** Sends in flight at most: 900/s at 100 ms needs 90. */
    private static final int SENDERS = 128;

    private LatencyProbe() {
    }

    /** Percentiles of send-to-route latency in milliseconds, over the messages sent after the first second. */
    record Result(int perSecond, int latencyMillis, boolean tls, int messages, double p50, double p99, long errors) {
    }

    static Result measure(Emulated emulated, int perSecond, int seconds, int latencyMillis) throws Exception {
        String topic = emulated.newTopic();
        TdmqClient client = emulated.sdkClient();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(perSecond * seconds));
        AtomicLong errors = new AtomicLong();
        long total = (long) perSecond * seconds;
        CamelContext camel = emulated.camel();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).process(exchange -> errors.incrementAndGet());
                from("tdmq-http:" + topic + "?subscription=latency&initialDelay=0").routeId("latency")
                        .process(exchange -> {
                            String[] parts = exchange.getIn().getBody(String.class).split(" ");
                            if (Long.parseLong(parts[0]) >= perSecond) {
                                latencies.add(System.nanoTime() - Long.parseLong(parts[1]));
                            }
                        });
            }
        });
        camel.start();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sent = new AtomicLong();
        try {
            // The consumer is idle and waiting, as it would be before traffic starts.
            TimeUnit.MILLISECONDS.sleep(1500);
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
            timer.scheduleAtFixedRate(() -> {
                long index = sent.getAndIncrement();
                if (index >= total) {
                    return;
                }
                senders.execute(() -> {
                    SendMessagesRequest request = new SendMessagesRequest();
                    request.setTopic(topic);
                    request.setPayload(index + " " + System.nanoTime());
                    try {
                        client.SendMessages(request);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                });
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 30L);
            long expected = total - perSecond;
            while (latencies.size() + errors.get() < expected && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } finally {
            timer.shutdownNow();
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
            camel.stop();
        }
        List<Long> sorted;
        synchronized (latencies) {
            sorted = latencies.stream().sorted().toList();
        }
        return new Result(perSecond, latencyMillis, emulated.tls(), sorted.size(), percentile(sorted, 0.50),
                percentile(sorted, 0.99), errors.get());
    }

    /** ReceiveMessage calls a second that a consumer with the defaults makes on an empty topic. */
    static double idleCallsPerSecond(Emulated emulated, int seconds) throws Exception {
        String topic = emulated.newTopic();
        CamelContext camel = emulated.camel();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tdmq-http:" + topic + "?subscription=idle").setHeader("seen", constant(true));
            }
        });
        camel.start();
        try {
            TimeUnit.SECONDS.sleep(2);
            long before = emulated.receiveRequests();
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            return (emulated.receiveRequests() - before) / ((System.nanoTime() - start) / 1e9);
        } finally {
            camel.stop();
        }
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
