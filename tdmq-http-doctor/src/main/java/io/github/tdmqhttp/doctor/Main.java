package io.github.tdmqhttp.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpEndpoint;
import io.github.tdmqhttp.camel.doctor.DoctorOptions;
import io.github.tdmqhttp.camel.doctor.DoctorReport;
import io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.TimeUtils;

/**
 * {@code java -jar tdmq-http-doctor.jar}: runs {@link TdmqHttpDoctor} with the configuration the component would have
 * and prints one line per check; exit code 0 when no check failed, 1 when one did, 2 for a bad command line.
 */
public final class Main {

    /** Properties with this prefix configure the component, as in application.properties. */
    public static final String PREFIX = "camel.component.tdmq-http.";

    /** The environment variables read, and the option each sets. */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "TDMQ_REGION", "region",
            "TDMQ_ENDPOINT", "endpoint",
            "TDMQ_ROLE_KEY", "stringToken",
            "TDMQ_PRODUCER_NAME", "producerName",
            "TDMQ_TOPIC", "topic",
            "TDMQ_SUBSCRIPTION", "subscription");

    static final String USAGE = """
            Usage: java -jar tdmq-http-doctor.jar [options] [tdmq-http:cluster/namespace/topic?option=value...]

            Checks, in order, what a tdmq-http route needs from TDMQ: the endpoint (reachable, TLS, clock), the keys,
            each action the route needs, the topic, the role key and producerName, the subscription; measures the
            round trip and an empty receive's wait. One line each, with the fix for each failure.

            It takes the component's configuration from, lowest first: the environment (TDMQ_REGION, TDMQ_ENDPOINT,
            TDMQ_ROLE_KEY, TDMQ_PRODUCER_NAME, TDMQ_TOPIC, TDMQ_SUBSCRIPTION), --config FILE,
            -Dcamel.component.tdmq-http.* system properties, then the endpoint URI. Without secretId and secretKey the SDK's default credential chain
            is used (TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, ~/.tencentcloud/credentials, a CVM role).

              --config FILE                camel.component.tdmq-http.* properties (an application.properties)
              --topic TOPIC                the topic to check (default: the URI's, or TDMQ_TOPIC)
              --subscription NAME          the subscription to check (default: the URI's, or TDMQ_SUBSCRIPTION);
                                           without one, receive-side checks are skipped
              --send                       send one message to the topic, receive it back on the subscription and
                                           acknowledge it (checks the role key and producerName); without --send
                                           nothing is sent
              --receive-only               the application does not send: do not check the send action
              --measure-ack-timeout WAIT   with --send: leave the message unacknowledged until it is delivered
                                           again, up to WAIT (e.g. 2m), and print that time next to ackTimeout
              --json                       print the report as JSON
              --help                       this text

            Exit code: 0 no check failed, 1 a check failed, 2 a bad command line. It prints no secret.
            """;

    private Main() {
    }

    /** Runs the doctor and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.getProperties(), System.out, System.err));
    }

    /**
     * Runs the doctor.
     *
     * @return 0 when no check failed, 1 when one did, 2 for a bad command line
     */
    static int run(String[] args, Map<String, String> environment, Properties systemProperties, PrintStream out,
                   PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tdmq-http doctor: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        }
        if (arguments.help) {
            out.print(USAGE);
            return 0;
        }
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            TdmqHttpConfiguration configuration;
            try {
                configuration = configuration(arguments, environment, systemProperties, camel);
            } catch (IllegalArgumentException | IOException e) {
                err.println("tdmq-http doctor: " + e.getMessage());
                return 2;
            }
            DoctorOptions options = DoctorOptions.DEFAULTS
                    .withTopic(arguments.topic)
                    .withSubscription(arguments.subscription)
                    .withSend(arguments.send)
                    .withSending(!arguments.receiveOnly)
                    .withMeasureAckTimeout(arguments.measureAckTimeout);
            DoctorReport report = new TdmqHttpDoctor(configuration, camel).run(options);
            out.println(arguments.json ? report.json() : report.text());
            return report.passed() ? 0 : 1;
        } finally {
            camel.stop();
        }
    }

    /** The component's configuration from the environment, the file, the system properties and the URI. */
    static TdmqHttpConfiguration configuration(Arguments arguments, Map<String, String> environment,
                                               Properties systemProperties, DefaultCamelContext camel)
            throws IOException {
        Map<String, Object> options = new LinkedHashMap<>();
        ENVIRONMENT.forEach((variable, option) -> {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                options.put(option, value.strip());
            }
        });
        if (arguments.config != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(arguments.config)) {
                file.load(in);
            }
            options.putAll(prefixed(file));
        }
        options.putAll(prefixed(systemProperties));
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        Map<String, Object> unbound = new LinkedHashMap<>(options);
        PropertyBindingSupport.build().withCamelContext(camel).withTarget(configuration).withProperties(unbound)
                .withIgnoreCase(true).withRemoveParameters(true).bind();
        if (!unbound.isEmpty()) {
            throw new IllegalArgumentException("unknown tdmq-http options " + unbound.keySet()
                                               + ": see the component's option table");
        }
        if (arguments.uri == null) {
            return configuration;
        }
        TdmqHttpComponent component = new TdmqHttpComponent();
        component.setConfiguration(configuration);
        camel.addComponent("tdmq-http", component);
        try {
            TdmqHttpEndpoint endpoint = camel.getEndpoint(arguments.uri, TdmqHttpEndpoint.class);
            return endpoint.getConfiguration();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("the endpoint URI is refused: " + cause.getMessage(), e);
        }
    }

    /** The camel.component.tdmq-http.* properties, by option name (kebab-case turned into camelCase). */
    private static Map<String, Object> prefixed(Properties properties) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                options.put(StringHelper.dashToCamelCase(name.substring(PREFIX.length())),
                        properties.getProperty(name).strip());
            }
        }
        return options;
    }

    /** The command line. */
    static final class Arguments {
        String uri;
        Path config;
        String topic;
        String subscription;
        boolean send;
        boolean receiveOnly;
        Duration measureAckTimeout;
        boolean json;
        boolean help;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            List<String> list = List.of(args);
            for (int i = 0; i < list.size(); i++) {
                String arg = list.get(i);
                String name = arg;
                String value = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    name = arg.substring(0, equals);
                    value = arg.substring(equals + 1);
                }
                switch (name) {
                    case "--help", "-h" -> parsed.help = true;
                    case "--json" -> parsed.json = true;
                    case "--send" -> parsed.send = true;
                    case "--receive-only" -> parsed.receiveOnly = true;
                    case "--config", "--topic", "--subscription", "--measure-ack-timeout" -> {
                        if (value == null) {
                            if (i + 1 >= list.size()) {
                                throw new IllegalArgumentException(name + " needs a value");
                            }
                            value = list.get(++i);
                        }
                        parsed.set(name, value);
                    }
                    default -> {
                        if (arg.startsWith("tdmq-http:") && parsed.uri == null) {
                            parsed.uri = arg;
                        } else {
                            throw new IllegalArgumentException("unknown argument " + arg);
                        }
                    }
                }
            }
            if (parsed.measureAckTimeout != null && !parsed.send) {
                throw new IllegalArgumentException("--measure-ack-timeout needs --send: the doctor measures the"
                                                   + " redelivery of its own message only");
            }
            return parsed;
        }

        private void set(String name, String value) {
            switch (name) {
                case "--config" -> config = Path.of(value);
                case "--topic" -> topic = value;
                case "--subscription" -> subscription = value;
                default -> {
                    try {
                        measureAckTimeout = Duration.ofMillis(TimeUtils.toMilliSeconds(value));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("--measure-ack-timeout takes a duration such as 90s or"
                                                           + " 5m, not " + value);
                    }
                }
            }
        }
    }
}
