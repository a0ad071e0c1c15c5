package io.github.tdmqhttp.emulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.fault.Latency;
import java.util.List;

/**
 * The JSON bodies of the admin API, typed: Jackson reads requests into these records (refusing unknown fields and
 * wrong types) and writes answers from them. Absent fields are null.
 */
final class AdminForms {

    private AdminForms() {
    }

    /** {@code POST topics}: the topic, its partitions, and its own ack timeout and unacknowledged limit if any. */
    record TopicForm(String topic, Integer partitions, Long ackTimeoutMs, Integer maxUnacknowledgedMessages) {
    }

    /** {@code POST outage}. */
    record OutageForm(Long seconds) {
    }

    /** {@code POST settings} and the settings in answers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SettingsForm(Long ackTimeoutMs, Integer rateLimit, Long receiveWaitMs, Boolean verifySignatures,
                        Integer maxResponseBytes, Integer maxUnacknowledgedMessages, Boolean serviceSideBatching) {

        static SettingsForm of(Settings settings) {
            return new SettingsForm(settings.ackTimeout().toMillis(), settings.rateLimit(),
                    settings.receiveWait().toMillis(), settings.verifySignatures(), settings.maxResponseBytes(),
                    settings.maxUnacknowledgedMessages(), settings.serviceSideBatching());
        }
    }

    /** The latency added to every answer. */
    record LatencyForm(long fixedMs, long jitterMs) {

        static LatencyForm of(Latency latency) {
            return new LatencyForm(latency.fixed().toMillis(), latency.jitter().toMillis());
        }
    }

    /** {@code GET faults}: the latency and the rules in force. */
    record FaultsForm(LatencyForm latency, List<FaultRuleForm> rules) {
    }

    /**
     * One fault rule as {@code POST faults} takes it and {@code GET faults} lists it, or the latency
     * ({@code "kind":"LATENCY"} with {@code fixedMs} and {@code jitterMs}). {@code times} absent means unlimited;
     * {@code injected} is only answered.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FaultRuleForm(String kind, String code, String message, String errorMsg, Integer status,
                         String contentType, String body, String action, Double rate, Integer times,
                         Boolean afterProcessing, Long fixedMs, Long jitterMs, Long injected) {

        static final String LATENCY = "LATENCY";

        static FaultRuleForm of(FaultRule rule, long injected) {
            FaultRule.Kind kind = rule.kind();
            return new FaultRuleForm(kind.name(),
                    kind == FaultRule.Kind.ERROR_CODE ? rule.code() : null,
                    kind == FaultRule.Kind.ERROR_CODE ? rule.message() : null,
                    kind == FaultRule.Kind.ERROR_MSG ? rule.message() : null,
                    kind == FaultRule.Kind.HTTP_STATUS ? rule.status() : null,
                    rule.contentType(), rule.body(), rule.action(), rule.rate(),
                    rule.times() == FaultRule.UNLIMITED ? null : rule.times(), rule.isAfterProcessing(), null, null,
                    injected);
        }

        boolean isLatency() {
            return LATENCY.equals(kind);
        }

        /**
         * The rule this form describes.
         *
         * @throws IllegalArgumentException for an unknown kind or a value out of range
         */
        FaultRule toRule() {
            if (kind == null) {
                throw new IllegalArgumentException("`kind` is required: one of ERROR_CODE, HTTP_STATUS,"
                        + " CONNECTION_RESET, EMPTY_BODY, TRUNCATED_JSON, ERROR_MSG, LATENCY.");
            }
            FaultRule rule = switch (kind) {
                case "ERROR_CODE" -> FaultRule.errorCode(code == null ? "InternalError" : code,
                        message == null ? "An internal error injected by the emulator." : message);
                case "HTTP_STATUS" -> status != null || body != null
                        ? FaultRule.httpStatus(status == null ? 502 : status,
                        contentType == null ? "text/html" : contentType, body == null ? "" : body)
                        : FaultRule.badGatewayHtml();
                case "CONNECTION_RESET" -> FaultRule.connectionReset();
                case "EMPTY_BODY" -> FaultRule.emptyBody();
                case "TRUNCATED_JSON" -> FaultRule.truncatedJson();
                case "ERROR_MSG" -> FaultRule.errorMsg(errorMsg != null ? errorMsg
                        : message != null ? message : "ack error");
                default -> throw new IllegalArgumentException("Unknown fault kind `" + kind + "`.");
            };
            if (action != null) {
                rule = rule.forAction(action);
            }
            if (rate != null) {
                rule = rule.rate(rate);
            }
            if (times != null) {
                rule = rule.times(times);
            }
            if (afterProcessing != null) {
                rule = rule.afterProcessing(afterProcessing);
            }
            return rule;
        }
    }
}
