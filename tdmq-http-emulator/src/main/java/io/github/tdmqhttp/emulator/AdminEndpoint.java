package io.github.tdmqhttp.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.admin.Router;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.AdminApiExtension;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.fault.Latency;
import io.github.tdmqhttp.emulator.model.BrokerException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The emulator's admin API for tools outside the JVM, under {@code /__admin/tdmq/} on the emulator's port. Not
 * signed, not rate-limited, not counted.
 *
 * <ul>
 *   <li>{@code GET stats}: topics with their subscriptions, request counters, settings</li>
 *   <li>{@code POST topics} {@code {"topic":"t/n/x","partitions":4}}; {@code DELETE topics}: drop every topic</li>
 *   <li>{@code GET faults}; {@code POST faults} one rule, or {@code {"kind":"LATENCY","fixedMs":20,"jitterMs":5}};
 *       {@code DELETE faults}</li>
 *   <li>{@code POST outage} {@code {"seconds":30}}: refuse connections for that long, starting right after the answer</li>
 *   <li>{@code POST settings} {@code {"ackTimeoutMs":..,"rateLimit":..,"receiveWaitMs":..,"verifySignatures":..}}</li>
 * </ul>
 */
final class AdminEndpoint implements AdminApiExtension {

    /** Thrown for a request the admin API cannot carry out; answered 400. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private interface Handler {
        Object handle(JsonNode body);
    }

    private static final Set<String> TOPIC_FIELDS = Set.of("topic", "partitions");
    private static final Set<String> FAULT_FIELDS = Set.of("kind", "code", "message", "errorMsg", "status",
            "contentType", "body", "action", "rate", "times", "afterProcessing", "fixedMs", "jitterMs");
    private static final Set<String> OUTAGE_FIELDS = Set.of("seconds");
    private static final Set<String> SETTINGS_FIELDS = Set.of("ackTimeoutMs", "rateLimit", "receiveWaitMs",
            "verifySignatures");

    private final TdmqEmulator emulator;
    private final ObjectMapper json = new ObjectMapper();

    AdminEndpoint(TdmqEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public String getName() {
        return "tdmq-admin";
    }

    // WireMock finds a route's URL template by the class of its task, so every route needs a task class of its own:
    // each lambda below is one.
    @Override
    public void contributeAdminApiRoutes(Router router) {
        router.add(RequestMethod.GET, "/tdmq/stats", (admin, event, path) -> respond(event, 200, body -> stats()));
        router.add(RequestMethod.POST, "/tdmq/topics", (admin, event, path) -> respond(event, 201, this::createTopic));
        router.add(RequestMethod.DELETE, "/tdmq/topics", (admin, event, path) -> respond(event, 200, body -> {
            emulator.broker().reset();
            return Map.of("topics", List.of());
        }));
        router.add(RequestMethod.GET, "/tdmq/faults", (admin, event, path) -> respond(event, 200, body -> faults()));
        router.add(RequestMethod.POST, "/tdmq/faults", (admin, event, path) -> respond(event, 201, this::addFault));
        router.add(RequestMethod.DELETE, "/tdmq/faults", (admin, event, path) -> respond(event, 200, body -> {
            emulator.faults().clear();
            return faults();
        }));
        router.add(RequestMethod.POST, "/tdmq/outage", (admin, event, path) -> respond(event, 202, this::outage));
        router.add(RequestMethod.POST, "/tdmq/settings",
                (admin, event, path) -> respond(event, 200, this::changeSettings));
    }

    private ResponseDefinition respond(ServeEvent serveEvent, int successStatus, Handler handler) {
        try {
            String text = serveEvent.getRequest().getBodyAsString();
            JsonNode body = text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
            if (!body.isObject()) {
                throw new BadRequest("The body must be a JSON object.");
            }
            return answer(successStatus, handler.handle(body));
        } catch (JsonProcessingException notJson) {
            return answer(400, Map.of("error", "The body is not valid JSON: " + notJson.getOriginalMessage()));
        } catch (BadRequest | BrokerException | IllegalArgumentException | IllegalStateException refused) {
            return answer(400, Map.of("error", String.valueOf(refused.getMessage())));
        }
    }

    private ResponseDefinition answer(int status, Object body) {
        try {
            return new ResponseDefinitionBuilder()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body))
                    .build();
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("Cannot write the admin answer", impossible);
        }
    }

    private Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("topics", emulator.broker().stats());
        stats.put("requests", emulator.requestStats());
        stats.put("settings", settings());
        stats.put("refusingConnections", emulator.isRefusingConnections());
        return stats;
    }

    private Object createTopic(JsonNode body) {
        onlyFields(body, TOPIC_FIELDS);
        String topic = text(body, "topic", null);
        if (topic == null) {
            throw new BadRequest("`topic` is required, e.g. {\"topic\":\"pulsar-local/default/orders\",\"partitions\":4}");
        }
        int partitions = (int) number(body, "partitions", emulator.broker().defaultPartitions());
        emulator.broker().createTopic(topic, partitions);
        return emulator.broker().topicStats(topic);
    }

    private Map<String, Object> faults() {
        Faults faults = emulator.faults();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("latency", latency(faults.latency()));
        view.put("rules", faults.ruleStates().stream().map(state -> rule(state.rule(), state.injected())).toList());
        return view;
    }

    private Object addFault(JsonNode body) {
        onlyFields(body, FAULT_FIELDS);
        String kind = text(body, "kind", null);
        if (kind == null) {
            throw new BadRequest("`kind` is required: one of ERROR_CODE, HTTP_STATUS, CONNECTION_RESET, EMPTY_BODY,"
                    + " TRUNCATED_JSON, ERROR_MSG, LATENCY.");
        }
        if (kind.equals("LATENCY")) {
            emulator.faults().latency(Duration.ofMillis(number(body, "fixedMs", 0)),
                    Duration.ofMillis(number(body, "jitterMs", 0)));
            return faults();
        }
        FaultRule rule = switch (kind) {
            case "ERROR_CODE" -> FaultRule.errorCode(text(body, "code", "InternalError"),
                    text(body, "message", "An internal error injected by the emulator."));
            case "HTTP_STATUS" -> body.has("status") || body.has("body")
                    ? FaultRule.httpStatus((int) number(body, "status", 502), text(body, "contentType", "text/html"),
                    text(body, "body", ""))
                    : FaultRule.badGatewayHtml();
            case "CONNECTION_RESET" -> FaultRule.connectionReset();
            case "EMPTY_BODY" -> FaultRule.emptyBody();
            case "TRUNCATED_JSON" -> FaultRule.truncatedJson();
            case "ERROR_MSG" -> FaultRule.errorMsg(text(body, "errorMsg", text(body, "message", "ack error")));
            default -> throw new BadRequest("Unknown fault kind `" + kind + "`.");
        };
        String action = text(body, "action", null);
        if (action != null) {
            rule = rule.forAction(action);
        }
        if (body.has("rate")) {
            JsonNode rate = body.get("rate");
            if (!rate.isNumber()) {
                throw new BadRequest("`rate` must be a number between 0 and 1.");
            }
            rule = rule.rate(rate.doubleValue());
        }
        if (body.has("times")) {
            rule = rule.times((int) number(body, "times", 1));
        }
        if (body.has("afterProcessing")) {
            JsonNode after = body.get("afterProcessing");
            if (!after.isBoolean()) {
                throw new BadRequest("`afterProcessing` must be true or false.");
            }
            rule = rule.afterProcessing(after.booleanValue());
        }
        emulator.faults().add(rule);
        return rule(rule, 0);
    }

    private Object outage(JsonNode body) {
        onlyFields(body, OUTAGE_FIELDS);
        long seconds = number(body, "seconds", 30);
        if (seconds <= 0) {
            throw new BadRequest("`seconds` must be positive.");
        }
        emulator.refuseConnectionsSoon(Duration.ofSeconds(seconds));
        return Map.of("refusingConnectionsForSeconds", seconds);
    }

    private Object changeSettings(JsonNode body) {
        onlyFields(body, SETTINGS_FIELDS);
        Settings settings = emulator.settings();
        if (body.has("ackTimeoutMs")) {
            settings.ackTimeout(Duration.ofMillis(number(body, "ackTimeoutMs", 0)));
        }
        if (body.has("rateLimit")) {
            settings.rateLimit((int) number(body, "rateLimit", 0));
        }
        if (body.has("receiveWaitMs")) {
            settings.receiveWait(Duration.ofMillis(number(body, "receiveWaitMs", 0)));
        }
        if (body.has("verifySignatures")) {
            JsonNode verify = body.get("verifySignatures");
            if (!verify.isBoolean()) {
                throw new BadRequest("`verifySignatures` must be true or false.");
            }
            settings.verifySignatures(verify.booleanValue());
        }
        return settings();
    }

    private Map<String, Object> settings() {
        Settings settings = emulator.settings();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ackTimeoutMs", settings.ackTimeout().toMillis());
        view.put("rateLimit", settings.rateLimit());
        view.put("receiveWaitMs", settings.receiveWait().toMillis());
        view.put("verifySignatures", settings.verifySignatures());
        return view;
    }

    private static Map<String, Object> latency(Latency latency) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("fixedMs", latency.fixed().toMillis());
        view.put("jitterMs", latency.jitter().toMillis());
        return view;
    }

    private static Map<String, Object> rule(FaultRule rule, long injected) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kind", rule.kind().name());
        view.put("action", rule.action());
        view.put("rate", rule.rate());
        view.put("times", rule.times() == FaultRule.UNLIMITED ? null : rule.times());
        view.put("afterProcessing", rule.isAfterProcessing());
        switch (rule.kind()) {
            case ERROR_CODE -> {
                view.put("code", rule.code());
                view.put("message", rule.message());
            }
            case HTTP_STATUS -> {
                view.put("status", rule.status());
                view.put("contentType", rule.contentType());
                view.put("body", rule.body());
            }
            case ERROR_MSG -> view.put("errorMsg", rule.message());
            default -> { }
        }
        view.put("injected", injected);
        return view;
    }

    private static void onlyFields(JsonNode body, Set<String> allowed) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new BadRequest("Unknown field `" + name + "`; this call takes " + allowed.stream().sorted()
                        .toList() + ".");
            }
        }
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw new BadRequest("`" + field + "` must be a string.");
        }
        return node.textValue();
    }

    private static long number(JsonNode body, String field, long fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw new BadRequest("`" + field + "` must be an integer.");
        }
        return node.longValue();
    }
}
