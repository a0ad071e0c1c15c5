package io.github.tdmqhttp.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option and header tables of docs/options.md are rendered from the generated component JSON, so they cannot drift
 * from the code. When an option changes, rerun with {@code -Dreadme.update=true} to rewrite the tables, and commit
 * docs/options.md
 * with the code.
 */
class ReadmeOptionTableTest {

    private static final Path ROOT = Path.of("..");
    private static final Path README = ROOT.resolve("README.md");
    private static final Path OPTIONS = ROOT.resolve("docs").resolve("options.md");
    /** The component page in the form of Camel's own component documentation. */
    private static final Path COMPONENT_PAGE = Path.of("src", "main", "docs", "tdmq-http-component.adoc");
    private static final String JSON = "/META-INF/io/github/tdmqhttp/camel/tdmq-http.json";

    @Test
    void theReadmeTablesMatchTheGeneratedMetadata() throws Exception {
        JsonObject metadata = metadata();
        String readme = Files.readString(OPTIONS);
        String updated = replaceSection(replaceSection(readme, "options", optionTable(metadata)), "headers",
                headerTable(metadata));
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(OPTIONS, updated);
            return;
        }
        assertThat(readme)
                .as("docs/options.md tables differ from tdmq-http.json: run mvn -pl camel-tdmq-pulsar-http test"
                    + " -Dtest=ReadmeOptionTableTest -Dreadme.update=true and commit docs/options.md")
                .isEqualTo(updated);
    }

    /** The component page's tables, in AsciiDoc, come from the same metadata. */
    @Test
    void theComponentPageTablesMatchTheGeneratedMetadata() throws Exception {
        JsonObject metadata = metadata();
        String page = Files.readString(COMPONENT_PAGE);
        String updated = replaceAsciidoc(replaceAsciidoc(page, "options", asciidocTable(
                "The tdmq-http component supports these options, on the endpoint or the component.",
                "Option,Group,Type,Default,Description", optionTable(metadata))), "headers", asciidocTable(
                "The headers the component reads and writes.", "Header,Used by,Type,Description",
                headerTable(metadata)));
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(COMPONENT_PAGE, updated);
            return;
        }
        assertThat(page).as("tdmq-http-component.adoc tables differ from tdmq-http.json: run mvn -pl"
                            + " camel-tdmq-pulsar-http test -Dtest=ReadmeOptionTableTest -Dreadme.update=true")
                .isEqualTo(updated);
    }

    /** A Markdown table (header, separator, rows) as an AsciiDoc table with a caption. */
    private static String asciidocTable(String caption, String header, String markdown) {
        StringBuilder table = new StringBuilder("." + caption + "\n[options=\"header\"]\n|===\n");
        table.append("|").append(header.replace(",", " |")).append("\n");
        List<String> rows = markdown.lines().skip(2).toList();
        for (String row : rows) {
            String[] cells = row.substring(2, row.length() - 2).split(" \\| ", -1);
            for (String cell : cells) {
                table.append("| ").append(cell.replace("\\|", "\\|")).append("\n");
            }
            table.append("\n");
        }
        return table.append("|===\n").toString();
    }

    private static String replaceAsciidoc(String page, String name, String content) {
        String start = "// " + name + ":start (generated from tdmq-http.json by ReadmeOptionTableTest)\n";
        String end = "// " + name + ":end";
        int from = page.indexOf(start);
        int to = page.indexOf(end);
        assertThat(from).as("the component page has the marker " + start.strip()).isGreaterThanOrEqualTo(0);
        assertThat(to).as("the component page has the marker " + end).isGreaterThan(from);
        return page.substring(0, from + start.length()) + content + page.substring(to);
    }

    /** The README says what the component is and how to start; the detail is in docs/. */
    @Test
    void theReadmeIsAPageOfAtMost400Lines() throws Exception {
        assertThat(Files.readAllLines(README)).as("README.md lines").hasSizeLessThanOrEqualTo(400);
    }

    /** Every relative link of the README, CONTRIBUTING.md and docs/ leads to a file, and to a heading of it. */
    @Test
    void everyRelativeLinkLeadsSomewhere() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(README, ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
        for (Path page : pages) {
            Matcher matcher = link.matcher(Files.readString(page));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page.getFileName() + ": " + target);
                } else if (anchor != null && resolved.toString().endsWith(".md")
                           && !anchorsOf(resolved).contains(anchor)) {
                    broken.add(page.getFileName() + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes. */
    private static Set<String> anchorsOf(Path page) throws Exception {
        Set<String> anchors = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            code ^= line.startsWith("```");
            if (!code && line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
            }
        }
        return anchors;
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
