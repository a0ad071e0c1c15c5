package io.github.tdmqhttp.camel.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * What a doctor run found: its checks in order. It passed when no check failed; warnings and skipped checks do not
 * fail it.
 *
 * @param checks the checks in the order they ran
 */
public record DoctorReport(List<DoctorCheck> checks) {

    /** Keeps an unmodifiable copy. */
    public DoctorReport {
        checks = List.copyOf(checks);
    }

    /** Whether no check failed. */
    public boolean passed() {
        return checks.stream().noneMatch(check -> check.status() == DoctorCheck.Status.FAIL);
    }

    /** The first check of that name, if it ran or was skipped. */
    public Optional<DoctorCheck> check(String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst();
    }

    /** The lines the user sees, one per check. */
    public List<String> lines() {
        return checks.stream().map(DoctorCheck::line).toList();
    }

    /** The lines, then a verdict line. */
    public String text() {
        List<String> lines = new ArrayList<>(lines());
        long failed = checks.stream().filter(check -> check.status() == DoctorCheck.Status.FAIL).count();
        lines.add(failed == 0 ? "tdmq-http doctor: no problem found"
                : "tdmq-http doctor: " + failed + (failed == 1 ? " problem" : " problems") + " found");
        return lines.stream().collect(Collectors.joining(System.lineSeparator()));
    }

    /** The report as a map of plain values, for JSON (the CLI's {@code --json}, the actuator endpoint). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("passed", passed());
        List<Map<String, Object>> list = new ArrayList<>();
        for (DoctorCheck check : checks) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("check", check.name());
            one.put("status", check.status().name());
            one.put("found", check.found());
            if (check.fix() != null) {
                one.put("fix", check.fix());
            }
            list.add(one);
        }
        map.put("checks", list);
        return map;
    }

    /** The report as JSON: {@code {"passed":true,"checks":[{"check":..,"status":..,"found":..,"fix":..}]}}. */
    public String json() {
        JsonObject root = new JsonObject();
        root.put("passed", passed());
        JsonArray list = new JsonArray();
        for (DoctorCheck check : checks) {
            JsonObject one = new JsonObject();
            one.put("check", check.name());
            one.put("status", check.status().name());
            one.put("found", check.found());
            if (check.fix() != null) {
                one.put("fix", check.fix());
            }
            list.add(one);
        }
        root.put("checks", list);
        return root.toJson();
    }
}
