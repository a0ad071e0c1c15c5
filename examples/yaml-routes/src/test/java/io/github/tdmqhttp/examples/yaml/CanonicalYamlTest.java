package io.github.tdmqhttp.examples.yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example's routes and the README's YAML snippet are written in the YAML DSL's canonical form: Camel loads them
 * without its "compact notation detected" warning, which a newcomer would otherwise take for a problem.
 */
class CanonicalYamlTest {

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private AbstractAppender capture;

    @BeforeEach
    void captureWarnings() {
        capture = new AbstractAppender("capture-warnings", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                warnings.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().addAppender(capture, Level.WARN, null);
        logging.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        logging.getConfiguration().getRootLogger().removeAppender(capture.getName());
        logging.updateLoggers();
        capture.stop();
    }

    @Test
    void theExampleRoutesLoadWithoutACompactNotationWarning() throws Exception {
        String routes = Files.readString(Path.of("src/main/resources/routes/orders.camel.yaml"));

        assertThat(load("orders.camel.yaml", routes)).isEqualTo(2);
        assertThat(warnings).noneMatch(warning -> warning.contains("compact notation"));
    }

    @Test
    void theReadmeYamlSnippetLoadsWithoutACompactNotationWarning() throws Exception {
        Matcher snippet = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("../../README.md")));
        assertThat(snippet.find()).as("the README has a YAML snippet").isTrue();

        assertThat(load("readme.camel.yaml", snippet.group(1))).isEqualTo(1);
        assertThat(warnings).noneMatch(warning -> warning.contains("compact notation"));
    }

    /** Loads YAML routes into a context that is not started (so no endpoint is created), answers how many. */
    private static int load(String name, String yaml) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString(name, yaml));
            return camel.getRouteDefinitions().size();
        }
    }
}
