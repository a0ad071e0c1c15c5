package io.github.tdmqhttp.camel.doctor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The doctor never shows a secret: not in its lines, not in its JSON, not in any log line at TRACE, whatever the
 * service answers (the emulator quotes the SecretId in its refusals, as the service does).
 */
class DoctorSecretsTest {

    private static final String SECRET_ID = "AKIDDOCTORSECRETID0001";
    private static final String SECRET_KEY = "doctor-secret-key-0001";
    private static final String SESSION_TOKEN = "doctor-session-token-0001";
    private static final String ROLE_KEY = "doctor-role-key-0001";
    private static final String TOPIC = "pulsar-secrets/default/orders";

    /** Collects every log event's message and stack trace. */
    private static final class Capture extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Capture() {
            super("doctor-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage()
                      + (event.getThrown() != null ? " " + event.getThrown() : ""));
        }
    }

    @Test
    void noSecretAppearsInTheReportTheJsonOrTheLogAtTrace() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Level previous = context.getConfiguration().getRootLogger().getLevel();
        Capture capture = new Capture();
        capture.start();
        context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        Configurator.setRootLevel(Level.TRACE);
        Configurator.setLevel("io.github.tdmqhttp", Level.TRACE);
        context.updateLoggers();
        try (TdmqEmulator emulator = TdmqEmulator.builder().receiveWait(Duration.ofMillis(100)).topic(TOPIC, 1)
                .addTemporaryCredentials(SECRET_ID, SECRET_KEY, SESSION_TOKEN, Instant.now().plusSeconds(600))
                .denyActions(SECRET_ID, "AcknowledgeMessage").stringTokens("another-role-key")
                .build().start()) {
            TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
            configuration.setEndpoint(emulator.endpoint());
            configuration.setRegion(emulator.region());
            configuration.setSecretId(SECRET_ID);
            configuration.setSecretKey(SECRET_KEY);
            configuration.setSessionToken(SESSION_TOKEN);
            configuration.setStringToken(ROLE_KEY);
            configuration.setTopic(TOPIC);
            configuration.setSubscription("secrets-sub");
            DoctorReport report = new TdmqHttpDoctor(configuration, new DefaultCamelContext())
                    .run(DoctorOptions.DEFAULTS.withSend(true));

            assertThat(report.check("producer").orElseThrow().status()).isEqualTo(DoctorCheck.Status.FAIL);
            assertThat(report.check("action AcknowledgeMessage").orElseThrow().status())
                    .isEqualTo(DoctorCheck.Status.FAIL);
            String everything = report.text() + report.json() + String.join("\n", capture.lines);
            assertThat(capture.lines).isNotEmpty();
            for (String secret : List.of(SECRET_ID, SECRET_KEY, SESSION_TOKEN, ROLE_KEY)) {
                assertThat(everything).doesNotContain(secret);
            }
        } finally {
            context.getConfiguration().getRootLogger().removeAppender("doctor-capture");
            Configurator.setRootLevel(previous);
            Configurator.setLevel("io.github.tdmqhttp", previous);
            context.updateLoggers();
        }
    }
}
