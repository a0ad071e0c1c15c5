package io.github.tdmqhttp.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary the suite prints and writes to target/reliability-report.md: one row per scenario, and one per bad input.
 */
final class Figures {

    /** A scenario's outcome. Recovery is how long after the fault ended the flow resumed, or empty. */
    record Row(String scenario, long messages, long lost, long duplicates, String recovery, String notes) {
    }

    /** A bad input and how it was answered. */
    record BadInput(String input, String side, String errorCode, String says, boolean namesCauseAndFix, long lost,
                    long wronglyAcknowledged) {
    }

    private static final List<Row> ROWS = new ArrayList<>();
    private static final List<BadInput> BAD_INPUTS = new ArrayList<>();

    private Figures() {
    }

    static synchronized void add(Row row) {
        ROWS.add(row);
    }

    static synchronized void add(BadInput badInput) {
        BAD_INPUTS.add(badInput);
    }

    static synchronized String markdown() {
        StringBuilder text = new StringBuilder();
        text.append("| Scenario | Messages | Lost | Duplicates | Recovery | Notes |\n|---|---|---|---|---|---|\n");
        List<Row> rows = new ArrayList<>(ROWS);
        if (!BAD_INPUTS.isEmpty()) {
            rows.add(new Row("4. Bad input, client and server side", BAD_INPUTS.size(),
                    BAD_INPUTS.stream().mapToLong(BadInput::lost).sum(), 0, "—",
                    BAD_INPUTS.stream().filter(BadInput::namesCauseAndFix).count() + " of " + BAD_INPUTS.size()
                    + " answered with cause and fix, "
                    + BAD_INPUTS.stream().mapToLong(BadInput::wronglyAcknowledged).sum() + " wrongly acknowledged"));
        }
        rows.sort(java.util.Comparator.comparingInt(row -> number(row.scenario())));
        for (Row row : rows) {
            text.append("| ").append(row.scenario()).append(" | ").append(row.messages()).append(" | ")
                    .append(row.lost()).append(" | ").append(row.duplicates()).append(" | ").append(row.recovery())
                    .append(" | ").append(row.notes()).append(" |\n");
        }
        if (!BAD_INPUTS.isEmpty()) {
            text.append("\n| Bad input | Where | Error code | The message says | Cause and fix named | Lost | Wrongly acked |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (BadInput bad : BAD_INPUTS) {
                text.append("| ").append(bad.input()).append(" | ").append(bad.side()).append(" | `")
                        .append(bad.errorCode()).append("` | ").append(bad.says().replace("|", "\\|")).append(" | ")
                        .append(bad.namesCauseAndFix() ? "yes" : "**no**").append(" | ").append(bad.lost())
                        .append(" | ").append(bad.wronglyAcknowledged()).append(" |\n");
            }
        }
        return text.toString();
    }

    /** The number a scenario's name starts with, so that 10 comes after 9. */
    private static int number(String scenario) {
        int dot = scenario.indexOf('.');
        try {
            return Integer.parseInt(scenario.substring(0, dot));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    static void print(String settings) throws IOException {
        String report = "Settings: " + settings + "\n\n" + markdown();
        System.out.println("\n== Reliability summary ==\n" + report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "reliability-report.md"), report);
    }
}
