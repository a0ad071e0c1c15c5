package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Endpoint;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code tdmq-http} dev console: every tdmq-http endpoint of the context with the options it was given (secrets
 * masked) and the figures of its running consumers and producers. Camel shows it wherever it shows dev consoles (camel
 * CLI's {@code camel get}, the management HTTP server's {@code /q/dev/tdmq-http}) once dev consoles are enabled.
 */
@org.apache.camel.spi.annotations.DevConsole(name = "tdmq-http", displayName = "TDMQ HTTP",
                                             description = "tdmq-http endpoints: options and figures")
public class TdmqHttpDevConsole extends AbstractDevConsole {

    /** What a secret option shows instead of its value, as Camel's own sanitiser. */
    static final String MASK = "xxxxxx";

    private static final TdmqHttpEndpointUriFactory URI_FACTORY = new TdmqHttpEndpointUriFactory();
    private static final TdmqHttpEndpointConfigurer CONFIGURER = new TdmqHttpEndpointConfigurer();

    public TdmqHttpDevConsole() {
        super("camel", "tdmq-http", "TDMQ HTTP", "tdmq-http endpoints: options and figures");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (TdmqHttpEndpoint endpoint : endpoints()) {
            text.append("tdmq-http:").append(endpoint.getConfiguration().getTopic()).append('\n');
            text.append("    options:");
            optionsOf(endpoint).forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
            text.append('\n');
            for (TdmqHttpMetrics metrics : metricsOf(endpoint)) {
                text.append("    ").append(metrics.role()).append(" of route ").append(metrics.routeId());
                if (!metrics.subscription().isEmpty()) {
                    text.append(", subscription ").append(metrics.subscription());
                }
                text.append(":\n        ");
                figuresOf(metrics).forEach((name, value) -> text.append(name).append('=').append(value).append(' '));
                text.setLength(text.length() - 1);
                text.append('\n');
                for (String line : metrics.callLines().split("\n")) {
                    if (!line.isEmpty()) {
                        text.append("        ").append(line).append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (TdmqHttpEndpoint endpoint : endpoints()) {
            JsonObject json = new JsonObject();
            json.put("topic", endpoint.getConfiguration().getTopic());
            json.put("options", new JsonObject(optionsOf(endpoint)));
            List<JsonObject> clients = new ArrayList<>();
            for (TdmqHttpMetrics metrics : metricsOf(endpoint)) {
                JsonObject client = new JsonObject();
                client.put("role", metrics.role().name());
                client.put("routeId", metrics.routeId());
                client.put("subscription", metrics.subscription());
                client.put("figures", new JsonObject(figuresOf(metrics)));
                JsonObject calls = new JsonObject();
                for (String action : metrics.actions()) {
                    calls.put(action, new JsonObject(callFiguresOf(metrics, action)));
                }
                client.put("calls", calls);
                clients.add(client);
            }
            json.put("clients", clients);
            list.add(json);
        }
        root.put("endpoints", list);
        return root;
    }

    private List<TdmqHttpEndpoint> endpoints() {
        List<TdmqHttpEndpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : getCamelContext().getEndpoints()) {
            if (endpoint instanceof TdmqHttpEndpoint tdmq) {
                endpoints.add(tdmq);
            }
        }
        endpoints.sort(Comparator.comparing(TdmqHttpEndpoint::getEndpointUri));
        return endpoints;
    }

    private static List<TdmqHttpMetrics> metricsOf(TdmqHttpEndpoint endpoint) {
        return endpoint.getComponent().observed().stream().filter(metrics -> metrics.endpointKey().equals(endpoint.getEndpointKey()))
                .sorted(Comparator.comparing((TdmqHttpMetrics metrics) -> metrics.role())
                        .thenComparing(metrics -> metrics.routeId()))
                .toList();
    }

    /**
     * The options that have a value, by name, with every secret one (secretKey, sessionToken, stringToken, the proxy
     * credentials...) masked; an object (a client bean, a store) shows as its type.
     */
    static Map<String, Object> optionsOf(TdmqHttpEndpoint endpoint) {
        Set<String> secrets = URI_FACTORY.secretPropertyNames();
        Map<String, Object> options = new LinkedHashMap<>();
        for (String name : new TreeSet<>(URI_FACTORY.propertyNames())) {
            Object value = "topic".equals(name) ? endpoint.getConfiguration().getTopic()
                    : CONFIGURER.getOptionValue(endpoint, name, false);
            if (value == null) {
                continue;
            }
            if (secrets.contains(name)) {
                options.put(name, MASK);
            } else if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                       || value instanceof Enum<?>) {
                options.put(name, value instanceof Enum<?> ? value.toString() : value);
            } else {
                options.put(name, value.getClass().getName());
            }
        }
        return options;
    }

    /** Every figure of a consumer or producer by name, in the order docs/observing.md explains them. */
    static Map<String, Object> figuresOf(TdmqHttpMetrics metrics) {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (metrics.role() == TdmqHttpMetrics.Role.consumer) {
            figures.put("received", metrics.received());
            figures.put("processed", metrics.processed());
            figures.put("failed", metrics.failed());
            figures.put("acknowledged", metrics.acknowledged());
            figures.put("ackFailures", metrics.ackFailures());
            figures.put("redelivered", metrics.redelivered());
            figures.put("deadLettered", metrics.deadLettered());
            figures.put("skippedPastDeadline", metrics.skippedPastDeadline());
            figures.put("batchesRefused", metrics.unpairedBatches());
            figures.put("idlePolls", metrics.idlePolls());
            figures.put("acksWaiting", metrics.acksWaiting());
            figures.put("lastSuccessfulPoll", TdmqHttpConsumerHealthCheck.instant(metrics.lastSuccessfulPoll()));
            figures.put("consecutivePollFailures", metrics.consecutivePollFailures());
            TdmqHttpException failure = metrics.lastPollFailure();
            if (failure != null) {
                figures.put("lastPollErrorCode", failure.getErrorCode());
                figures.put("failingSince", TdmqHttpConsumerHealthCheck.instant(metrics.failingSince()));
            }
        } else {
            figures.put("sent", metrics.sends());
            figures.put("sendFailures", metrics.sendFailures());
        }
        figures.put("retries", metrics.retries());
        figures.put("throttled", metrics.throttled());
        figures.put("callsInFlight", metrics.callsInFlight());
        return figures;
    }

    static Map<String, Object> callFiguresOf(TdmqHttpMetrics metrics, String action) {
        TdmqHttpMetrics.CallFigures calls = metrics.calls(action);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", calls.count());
        figures.put("failures", calls.failures());
        figures.put("meanMillis", round(calls.meanMillis()));
        figures.put("p50Millis", round(calls.percentileMillis(0.5)));
        figures.put("p95Millis", round(calls.percentileMillis(0.95)));
        figures.put("p99Millis", round(calls.percentileMillis(0.99)));
        figures.put("maxMillis", round(calls.maxMillis()));
        figures.put("rateLimit", round(metrics.currentRate(action)));
        return figures;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
