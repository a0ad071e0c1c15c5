package io.github.tdmqhttp.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.tomakehurst.wiremock.admin.Router;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.AdminApiExtension;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.model.BrokerException;
import io.github.tdmqhttp.emulator.model.TopicOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's admin API for tools outside the JVM, under {@code /__admin/tdmq/} on the emulator's port. Not
 * signed, not rate-limited, not counted.
 *
 * <ul>
 *   <li>{@code GET stats}: topics with their subscriptions, request counters, settings</li>
 *   <li>{@code POST topics} {@code {"topic":"t/n/x","partitions":4,"ackTimeoutMs":..,"maxUnacknowledgedMessages":..}};
 *       {@code DELETE topics}: drop every topic</li>
 *   <li>{@code GET faults}; {@code POST faults} one rule, or {@code {"kind":"LATENCY","fixedMs":20,"jitterMs":5}};
 *       {@code DELETE faults}</li>
 *   <li>{@code POST outage} {@code {"seconds":30}}: refuse connections for that long, starting right after the answer</li>
 *   <li>{@code POST settings} {@code {"ackTimeoutMs":..,"rateLimit":..,"receiveWaitMs":..,"verifySignatures":..,
 *       "maxResponseBytes":..,"maxUnacknowledgedMessages":..,"serviceSideBatching":..}}</li>
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

    private interface Handler<T> {
        Object handle(T form);
    }

    private final TdmqEmulator emulator;
    // Strict reading: unknown fields, strings for numbers and fractions for integers are refused, not coerced.
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

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
        router.add(RequestMethod.GET, "/tdmq/stats", (admin, event, path) -> respond(event, 200, Empty.class,
                form -> stats()));
        router.add(RequestMethod.POST, "/tdmq/topics", (admin, event, path) -> respond(event, 201,
                AdminForms.TopicForm.class, this::createTopic));
        router.add(RequestMethod.DELETE, "/tdmq/topics", (admin, event, path) -> respond(event, 200, Empty.class,
                form -> {
                    emulator.broker().reset();
                    return Map.of("topics", List.of());
                }));
        router.add(RequestMethod.GET, "/tdmq/faults", (admin, event, path) -> respond(event, 200, Empty.class,
                form -> faults()));
        router.add(RequestMethod.POST, "/tdmq/faults", (admin, event, path) -> respond(event, 201,
                AdminForms.FaultRuleForm.class, this::addFault));
        router.add(RequestMethod.DELETE, "/tdmq/faults", (admin, event, path) -> respond(event, 200, Empty.class,
                form -> {
                    emulator.faults().clear();
                    return faults();
                }));
        router.add(RequestMethod.POST, "/tdmq/outage", (admin, event, path) -> respond(event, 202,
                AdminForms.OutageForm.class, this::outage));
        router.add(RequestMethod.POST, "/tdmq/settings", (admin, event, path) -> respond(event, 200,
                AdminForms.SettingsForm.class, this::changeSettings));
    }

    /** The body of calls that take none: any object without fields. */
    private record Empty() {
    }

    private <T> ResponseDefinition respond(ServeEvent serveEvent, int successStatus, Class<T> form,
                                           Handler<T> handler) {
        try {
            String text = serveEvent.getRequest().getBodyAsString();
            T body = json.readValue(text == null || text.isBlank() ? "{}" : text, form);
            if (body == null) {
                throw new BadRequest("The body must be a JSON object.");
            }
            return answer(successStatus, handler.handle(body));
        } catch (UnrecognizedPropertyException unknown) {
            return answer(400, Map.of("error", "Unknown field `" + unknown.getPropertyName() + "`; this call takes "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList() + "."));
        } catch (MismatchedInputException wrongType) {
            String field = wrongType.getPath().isEmpty() ? null
                    : wrongType.getPath().get(wrongType.getPath().size() - 1).getFieldName();
            return answer(400, Map.of("error", field == null ? "The body must be a JSON object of this call's fields."
                    : "`" + field + "` has the wrong type: " + wrongType.getOriginalMessage()));
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
        stats.put("settings", AdminForms.SettingsForm.of(emulator.settings()));
        stats.put("refusingConnections", emulator.isRefusingConnections());
        return stats;
    }

    private Object createTopic(AdminForms.TopicForm form) {
        if (form.topic() == null) {
            throw new BadRequest("`topic` is required, e.g. {\"topic\":\"pulsar-local/default/orders\",\"partitions\":4}");
        }
        int partitions = form.partitions() == null ? emulator.broker().defaultPartitions() : form.partitions();
        TopicOptions options = TopicOptions.DEFAULTS;
        if (form.ackTimeoutMs() != null) {
            options = options.withAckTimeout(Duration.ofMillis(form.ackTimeoutMs()));
        }
        if (form.maxUnacknowledgedMessages() != null) {
            options = options.withMaxUnacknowledgedMessages(form.maxUnacknowledgedMessages());
        }
        emulator.broker().createTopic(form.topic(), partitions, options);
        return emulator.broker().topicStats(form.topic());
    }

    private AdminForms.FaultsForm faults() {
        Faults faults = emulator.faults();
        return new AdminForms.FaultsForm(AdminForms.LatencyForm.of(faults.latency()), faults.ruleStates().stream()
                .map(state -> AdminForms.FaultRuleForm.of(state.rule(), state.injected())).toList());
    }

    private Object addFault(AdminForms.FaultRuleForm form) {
        if (form.isLatency()) {
            emulator.faults().latency(Duration.ofMillis(form.fixedMs() == null ? 0 : form.fixedMs()),
                    Duration.ofMillis(form.jitterMs() == null ? 0 : form.jitterMs()));
            return faults();
        }
        FaultRule rule = form.toRule();
        emulator.faults().add(rule);
        return AdminForms.FaultRuleForm.of(rule, 0);
    }

    private Object outage(AdminForms.OutageForm form) {
        long seconds = form.seconds() == null ? 30 : form.seconds();
        if (seconds <= 0) {
            throw new BadRequest("`seconds` must be positive.");
        }
        emulator.refuseConnectionsSoon(Duration.ofSeconds(seconds));
        return Map.of("refusingConnectionsForSeconds", seconds);
    }

    private Object changeSettings(AdminForms.SettingsForm form) {
        Settings settings = emulator.settings();
        if (form.ackTimeoutMs() != null) {
            settings.ackTimeout(Duration.ofMillis(form.ackTimeoutMs()));
        }
        if (form.rateLimit() != null) {
            settings.rateLimit(form.rateLimit());
        }
        if (form.receiveWaitMs() != null) {
            settings.receiveWait(Duration.ofMillis(form.receiveWaitMs()));
        }
        if (form.verifySignatures() != null) {
            settings.verifySignatures(form.verifySignatures());
        }
        if (form.maxResponseBytes() != null) {
            settings.maxResponseBytes(form.maxResponseBytes());
        }
        if (form.maxUnacknowledgedMessages() != null) {
            settings.maxUnacknowledgedMessages(form.maxUnacknowledgedMessages());
        }
        if (form.serviceSideBatching() != null) {
            settings.serviceSideBatching(form.serviceSideBatching());
        }
        return AdminForms.SettingsForm.of(settings);
    }
}
