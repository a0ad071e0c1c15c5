package io.github.tdmqhttp.camel.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * Publishes a consumer's or producer's figures as Micrometer meters named {@code tdmq.http.*}. The only class that
 * names a Micrometer type: it is loaded only when Micrometer is on the classpath ({@link TdmqHttpMetrics#publish}), so
 * the component runs without it. Counters and gauges read the figures when the registry is scraped; only the call
 * timers are fed on the way, once per API call.
 */
final class TdmqHttpMicrometer implements TdmqHttpMetrics.CallListener, TdmqHttpMetrics.Publication {

    static final String PREFIX = "tdmq.http.";

    private final MeterRegistry registry;
    private final TdmqHttpMetrics metrics;
    private final Tags tags;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    private TdmqHttpMicrometer(MeterRegistry registry, TdmqHttpMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
        this.tags = Tags.of("topic", metrics.topic(), "subscription", metrics.subscription(), "route",
                metrics.routeId(), "role", metrics.role().name());
    }

    /**
     * Registers the meters of these figures in the context's MeterRegistry: the one in Camel's registry (in Spring
     * Boot, the application's), or Micrometer's global registry when there is none or several.
     */
    static TdmqHttpMetrics.Publication publish(CamelContext context, TdmqHttpMetrics metrics) {
        TdmqHttpMicrometer publication = new TdmqHttpMicrometer(registryOf(context), metrics);
        publication.register();
        metrics.listener(publication);
        return publication;
    }

    static MeterRegistry registryOf(CamelContext context) {
        MeterRegistry single = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (single != null) {
            return single;
        }
        // Spring Boot makes a composite the primary registry when it has several.
        Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
        return all.stream().filter(CompositeMeterRegistry.class::isInstance).findFirst()
                .orElse(Metrics.globalRegistry);
    }

    private void register() {
        if (metrics.role() == TdmqHttpMetrics.Role.consumer) {
            counter("messages.received", "Messages received from TDMQ", TdmqHttpMetrics::received);
            counter("messages.processed", "Exchanges the route finished, failed or not", TdmqHttpMetrics::processed);
            counter("messages.failed", "Exchanges that failed, so their message was not acknowledged",
                    TdmqHttpMetrics::failed);
            counter("messages.acknowledged", "Messages acknowledged", TdmqHttpMetrics::acknowledged);
            counter("acknowledgements.failed", "Acknowledgements that failed after every retry; TDMQ delivers those"
                                               + " messages again", TdmqHttpMetrics::ackFailures);
            counter("messages.redelivered", "Deliveries of a message this application had seen before",
                    TdmqHttpMetrics::redelivered);
            counter("messages.dead.lettered", "Messages moved to the dead letter topic after maxDeliveries",
                    TdmqHttpMetrics::deadLettered);
            counter("messages.skipped.past.deadline", "Received messages left unprocessed because their ack"
                                                      + " deadline was too close",
                    TdmqHttpMetrics::skippedPastDeadline);
            counter("batches.refused", "Batches that could not be split because a payload holds ###",
                    TdmqHttpMetrics::unpairedBatches);
            counter("polls.idle", "Polls that found no message", TdmqHttpMetrics::idlePolls);
            gauge("acknowledgements.waiting", "Acknowledgements queued or on their way", TdmqHttpMetrics::acksWaiting,
                    null);
            gauge("poll.last.success.timestamp", "When the last poll succeeded (seconds since the epoch; 0 before"
                                                 + " the first)", m -> m.lastSuccessfulPoll() / 1000.0, "seconds");
        } else {
            counter("messages.sent", "Messages sent", TdmqHttpMetrics::sends);
            counter("sends.failed", "Messages that could not be sent", TdmqHttpMetrics::sendFailures);
        }
        counter("retries", "Calls the component tried again by itself", TdmqHttpMetrics::retries);
        counter("calls.throttled", "Calls TDMQ refused for its rate limit", TdmqHttpMetrics::throttled);
        gauge("calls.in.flight", "API calls waiting for their answer", TdmqHttpMetrics::callsInFlight, null);
        for (String action : metrics.actions()) {
            meters.add(Gauge.builder(PREFIX + "rate.limit", metrics, m -> m.currentRate(action)).tags(tags)
                    .tag("action", action).baseUnit("calls.per.second")
                    .description("Calls a second the client-side limiter allows now (0: no limit)")
                    .register(registry));
        }
    }

    private void counter(String name, String description, ToDoubleFunction<TdmqHttpMetrics> value) {
        meters.add(FunctionCounter.builder(PREFIX + name, metrics, value).tags(tags).description(description)
                .register(registry));
    }

    private void gauge(String name, String description, ToDoubleFunction<TdmqHttpMetrics> value, String unit) {
        meters.add(Gauge.builder(PREFIX + name, metrics, value).tags(tags).description(description).baseUnit(unit)
                .register(registry));
    }

    @Override
    public void called(String action, long nanos, boolean failed) {
        timers.computeIfAbsent(failed ? action + "/failure" : action, key -> {
            Timer timer = Timer.builder(PREFIX + "calls").tags(tags).tag("action", action)
                    .tag("outcome", failed ? "failure" : "success")
                    .description("API calls and how long they took").publishPercentiles(0.5, 0.95, 0.99)
                    .register(registry);
            meters.add(timer);
            return timer;
        }).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        metrics.listener(null);
        meters.forEach(registry::remove);
        meters.clear();
        timers.clear();
    }
}
