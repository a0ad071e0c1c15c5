package io.github.tdmqhttp.camel.springboot;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every option of the component is a documented {@code camel.component.tdmq-http.*} property, with the component's
 * description and default: the Spring Boot metadata the IDE completes from cannot drift from the component.
 */
class StarterMetadataTest {

    private static final String PREFIX = "camel.component.tdmq-http.";

    @Test
    void everyComponentOptionIsAPropertyWithTheSameDescriptionAndDefault() throws Exception {
        JsonObject component = read(getClass().getResource("/META-INF/io/github/tdmqhttp/camel/tdmq-http.json"));
        Map<String, JsonObject> properties = springProperties();

        JsonObject options = component.getMap("componentProperties");
        assertThat(options).isNotEmpty();
        for (Map.Entry<String, Object> entry : options.entrySet()) {
            JsonObject option = (JsonObject) entry.getValue();
            String name = PREFIX + kebab(entry.getKey());
            assertThat(properties).as("a property for the option " + entry.getKey()).containsKey(name);
            JsonObject property = properties.get(name);
            assertThat(property.getString("description")).as(name).startsWith(option.getString("description"));
            if (option.containsKey("defaultValue")) {
                assertThat(normalise(property.get("defaultValue"))).as("default of " + name)
                        .isEqualTo(normalise(option.get("defaultValue")));
            } else {
                assertThat(property.get("defaultValue")).as("default of " + name).isNull();
            }
        }
    }

    @Test
    void secretsSayThatTheyAreSecrets() throws Exception {
        Map<String, JsonObject> properties = springProperties();
        for (String secret : new String[] { "secret-id", "secret-key", "session-token", "string-token",
                "proxy-password" }) {
            assertThat(properties.get(PREFIX + secret).getString("description")).contains("This option is a secret");
        }
    }

    @Test
    void enabledSaysThatTurningItOffLeavesTheComponentUsableButUnconfigured() throws Exception {
        JsonObject enabled = springProperties().get(PREFIX + "enabled");

        assertThat(enabled.getString("description")).contains("stays usable but unconfigured")
                .contains("credentials from the SDK's default chain");
        assertThat(enabled.get("defaultValue")).isEqualTo(true);
    }

    private static Map<String, JsonObject> springProperties() throws Exception {
        Map<String, JsonObject> properties = new HashMap<>();
        for (URL url : Collections.list(StarterMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            JsonArray list = read(url).getCollection("properties");
            for (Object each : list) {
                JsonObject property = (JsonObject) each;
                if (property.getString("name").startsWith(PREFIX)) {
                    properties.put(property.getString("name"), property);
                }
            }
        }
        return properties;
    }

    private static JsonObject read(URL url) throws Exception {
        try (InputStream in = url.openStream()) {
            return (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** Boot writes durations as "100ms" and numbers as numbers; the component writes "100". */
    private static String normalise(Object value) {
        String text = String.valueOf(value);
        if (text.endsWith("ms")) {
            text = text.substring(0, text.length() - 2);
        }
        text = text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        // Spring Boot writes an enum's default in kebab case (TOPIC_SUBSCRIPTION_DLQ as topic-subscription-dlq).
        return text.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
