package io.github.tdmqhttp.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's option and header tables are rendered from the generated component JSON, so they cannot drift from the
 * code. When an option changes, rerun with {@code -Dreadme.update=true} to rewrite the tables, and commit the README
 * with the code.
 */
class ReadmeOptionTableTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String JSON = "/META-INF/io/github/tdmqhttp/camel/tdmq-http.json";

    @Test
    void theReadmeTablesMatchTheGeneratedMetadata() throws Exception {
        JsonObject metadata = metadata();
        String readme = Files.readString(README);
        String updated = replaceSection(replaceSection(readme, "options", optionTable(metadata)), "headers",
                headerTable(metadata));
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(README, updated);
            return;
        }
        assertThat(readme)
                .as("README.md tables differ from tdmq-http.json: run mvn -pl camel-tdmq-pulsar-http test"
                    + " -Dtest=ReadmeOptionTableTest -Dreadme.update=true and commit README.md")
                .isEqualTo(updated);
    }

    private static JsonObject metadata() throws Exception {
        try (InputStream json = ReadmeOptionTableTest.class.getResourceAsStream(JSON)) {
            assertThat(json).as(JSON + " on the classpath").isNotNull();
            return (JsonObject) Jsoner.deserialize(new String(json.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static String optionTable(JsonObject metadata) {
        StringBuilder table = new StringBuilder("| Option | Group | Type | Default | Description |\n|---|---|---|---|---|\n");
        JsonObject properties = metadata.getMap("properties");
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            JsonObject option = (JsonObject) entry.getValue();
            String group = option.getString("group");
            String type = option.getString("type");
            if (option.containsKey("enum")) {
                type = "enum: " + ((java.util.Collection<?>) option.get("enum")).stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", "));
            }
            table.append("| `").append(entry.getKey()).append('`')
                    .append(option.getBooleanOrDefault("required", false) ? " (required)" : "")
                    .append(option.getBooleanOrDefault("secret", false) ? " (secret)" : "")
                    .append(" | ").append(group)
                    .append(" | ").append(type)
                    .append(" | ").append(option.containsKey("defaultValue") ? "`" + option.get("defaultValue") + "`" : "")
                    .append(" | ").append(cell(option.getString("description")))
                    .append(" |\n");
        }
        return table.toString();
    }

    static String headerTable(JsonObject metadata) {
        StringBuilder table = new StringBuilder("| Header | Used by | Type | Description |\n|---|---|---|---|\n");
        JsonObject headers = metadata.getMap("headers");
        for (Map.Entry<String, Object> entry : headers.entrySet()) {
            JsonObject header = (JsonObject) entry.getValue();
            table.append("| `").append(entry.getKey()).append("` | ")
                    .append(header.getString("group").replace(" ", ", ")).append(" | `")
                    .append(header.getString("javaType")).append("` | ")
                    .append(cell(header.getString("description"))).append(" |\n");
        }
        return table.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String replaceSection(String readme, String name, String content) {
        String start = "<!-- " + name + ":start (generated from tdmq-http.json by ReadmeOptionTableTest) -->\n";
        String end = "<!-- " + name + ":end -->";
        int from = readme.indexOf(start);
        int to = readme.indexOf(end);
        assertThat(from).as("README.md has the marker " + start.strip()).isGreaterThanOrEqualTo(0);
        assertThat(to).as("README.md has the marker " + end).isGreaterThan(from);
        return readme.substring(0, from + start.length()) + content + readme.substring(to);
    }
}
