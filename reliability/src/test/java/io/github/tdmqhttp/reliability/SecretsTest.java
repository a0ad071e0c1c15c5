package io.github.tdmqhttp.reliability;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 5: every recipe the README gives for secrets, run as written: the Java DSL and YAML routes of "A first
 * route" under camel-main with the role key set in Java as its snippet does, the Spring Boot snippet as written and
 * with its commented keys, and the SDK's default chain reading the environment variables (which this module's
 * surefire configuration sets, as a deployment would). With logging at TRACE, route dumps on and JMX on, the values of the
 * secret key, the session token and the role key appear in no log line, no exception message (a failed send, a
 * misspelled option), no endpoint URI ({@code getEndpointUri()}, the registry), no exchange property, no JMX attribute
 * or route dump, no health detail, and not in the actuator's env or configprops output with values shown.
 */
class SecretsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path LOG = Path.of("target", "secrets-scenario.log");
    private static final Path RECIPES = Path.of("target", "secrets-recipes");
    private static final Pattern TDMQ_URI = Pattern.compile("\"(tdmq-http:[^\"]+)\"");

    private static final List<String> SECRETS = List.of(env("TENCENTCLOUD_SECRET_KEY"), env("TDMQ_SECRET_KEY"),
            env("TDMQ_ROLE_KEY"));

    /** The tdmq-http URIs of the README's Java DSL snippet: the producer's and the consumer's. */
    static String producerUri;
    static String consumerUri;

    private final List<String> seen = new ArrayList<>();
    private int logLines;
    private int jmxAttributes;

    private static String env(String name) {
        String value = System.getenv(name);
        assertThat(value).as(name + " is set by the surefire configuration of reliability/pom.xml; run through Maven")
                .isNotBlank();
        return value;
    }

    /**
     * The Java DSL recipe: the README's URIs, behind direct: instead of file: and with a log instead of a bean; the
     * consumer only where the YAML route, which has the same URI, does not run.
     */
    static RouteBuilder readmeJavaRoutes(boolean withConsumer) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("java-send").to(producerUri);
                if (withConsumer) {
                    from(consumerUri).routeId("java-receive").log("Order ${header.CamelTdmqHttpMessageId}: ${body}");
                }
            }
        };
    }

    /** The Spring Boot recipe's application: the README's Java DSL routes. */
    @SpringBootApplication
    public static class SecretsApplication {

        @Bean
        RouteBuilder routes() {
            return readmeJavaRoutes(true);
        }
    }

    @Test
    void noRecipeOfTheReadmeShowsASecretAnywhere() throws Exception {
        String readme = Files.readString(README);
        List<String> javaUris = new ArrayList<>();
        Matcher uris = TDMQ_URI.matcher(recipe(readme, "java"));
        while (uris.find()) {
            javaUris.add(uris.group(1));
        }
        producerUri = javaUris.stream().filter(uri -> !uri.contains("subscription=")).findFirst().orElseThrow();
        consumerUri = javaUris.stream().filter(uri -> uri.contains("subscription=")).findFirst().orElseThrow();
        String topic = producerUri.substring("tdmq-http:".length(), producerUri.indexOf('?'));
        Files.createDirectories(RECIPES);
        Path yaml = Files.writeString(RECIPES.resolve("orders.camel.yaml"), recipe(readme, "yaml"));

        long messages;
        try (TdmqEmulator emulator = TdmqEmulator.builder()
                .addCredentials(env("TENCENTCLOUD_SECRET_ID"), env("TENCENTCLOUD_SECRET_KEY"))
                .addCredentials(env("TDMQ_SECRET_ID"), env("TDMQ_SECRET_KEY"))
                .stringTokens(env("TDMQ_ROLE_KEY")).topic(topic).noRateLimit()
                .build().start()) {
            try {
                camelMain(emulator, readme, yaml, topic);
                springBoot(emulator, readme, topic, false);
                springBoot(emulator, readme, topic, true);
            } finally {
                configureLogging("logback-test.xml");
            }
            messages = Rig.stored(emulator, topic);
        }

        assertThat(seen).as("DEBUG and TRACE logging ran").anyMatch(line -> line.contains(" TRACE "));
        assertThat(seen).as("a route dump").anyMatch(line -> line.contains("order-service"));
        assertThat(seen).anyMatch(line -> line.contains("InvalidPayload"));
        assertThat(seen).anyMatch(line -> line.contains("stringTokn"));
        List<String> leaks = seen.stream().filter(line -> SECRETS.stream().anyMatch(line::contains))
                .map(SecretsTest::around).toList();
        Figures.add(new Figures.Row("5. Secrets: the README's recipes (Java DSL, YAML, Spring Boot, environment), TRACE"
                                    + " logging, route dumps, JMX, actuator showing values", messages, 0, 0, "—",
                String.format("%d log lines, %d JMX attributes, 6 actuator outputs, endpoint URIs, exchange properties,"
                              + " health details and exception messages searched: %d hold a secret", logLines,
                        jmxAttributes, leaks.size())));
        assertThat(leaks).isEmpty();
    }

    /** Where in a long text a secret is, for the failure message (the values are test values). */
    private static String around(String line) {
        int at = SECRETS.stream().mapToInt(line::indexOf).filter(index -> index >= 0).min().orElse(0);
        return line.length() <= 300 ? line : "..." + line.substring(Math.max(0, at - 200), Math.min(line.length(),
                at + 100)) + "...";
    }

    /** camel-main, as Camel JBang runs it: the Java DSL and the YAML routes, the properties snippet, the chain. */
    private void camelMain(TdmqEmulator emulator, String readme, Path yaml, String topic) throws Exception {
        configureLogging("secrets-logback.xml");
        Main main = new Main();
        main.configure().addRoutesBuilder(readmeJavaRoutes(false));
        // The README's Java snippet, as it reads.
        assertThat(recipe(readme, "camel-main")).contains("setStringToken(System.getenv(\"TDMQ_ROLE_KEY\"))")
                .contains("main.bind(\"tdmq-http\", tdmq)");
        TdmqHttpComponent tdmq = new TdmqHttpComponent();
        tdmq.getConfiguration().setStringToken(System.getenv("TDMQ_ROLE_KEY"));
        main.bind("tdmq-http", tdmq);
        main.addInitialProperty("camel.component.tdmq-http.endpoint", emulator.endpoint());
        main.addInitialProperty("camel.main.routesIncludePattern", "file:" + yaml.toAbsolutePath());
        main.addInitialProperty("camel.main.dumpRoutes", "xml");
        main.addInitialProperty("camel.main.jmxEnabled", "true");
        main.start();
        try {
            exercise(main.getCamelContext(), emulator, topic);
        } finally {
            main.stop();
        }
        collectLog();
    }

    /** The Spring Boot snippet, as written (keys from the chain) or with its commented keys in. */
    private void springBoot(TdmqEmulator emulator, String readme, String topic, boolean commentedKeys)
            throws Exception {
        List<String> properties = new ArrayList<>();
        properties(recipe(readme, "spring-boot"), commentedKeys)
                .forEach((key, value) -> properties.add(key + "=" + value));
        properties.addAll(List.of("server.port=0", "spring.main.banner-mode=off",
                "logging.config=classpath:secrets-logback.xml",
                "camel.component.tdmq-http.endpoint=" + emulator.endpoint(),
                "camel.main.dump-routes=xml",
                "camel.main.jmx-enabled=true",
                "camel.health.exposure-level=full",
                "management.endpoints.web.exposure.include=health,env,configprops",
                "management.endpoint.health.show-details=always",
                "management.endpoint.env.show-values=always",
                "management.endpoint.configprops.show-values=always"));
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(SecretsApplication.class)
                .properties(properties.toArray(String[]::new)).run()) {
            CamelContext camel = application.getBean(CamelContext.class);
            exercise(camel, emulator, topic);
            int port = ((WebServerApplicationContext) application).getWebServer().getPort();
            String env = get(port, "/actuator/env");
            assertThat(env).contains("TDMQ_ROLE_KEY");
            seen.add(env);
            seen.add(get(port, "/actuator/configprops"));
            seen.add(get(port, "/actuator/health"));
        }
        collectLog();
    }

    /** Sends, receives, fails, mistypes; then collects what Camel shows of its endpoints, in Java and in JMX. */
    private void exercise(CamelContext camel, TdmqEmulator emulator, String topic) throws Exception {
        long ackedBefore = Rig.subscription(emulator, topic, "order-service").acked();
        Exchange sent = camel.createProducerTemplate().request("direct:send", e -> e.getMessage().setBody("order"));
        assertThat(sent.getException()).isNull();
        seen.add(String.valueOf(sent.getProperty(Exchange.TO_ENDPOINT)));
        Exchange refused = camel.createProducerTemplate().request("direct:send", e -> e.getMessage().setBody(null));
        seen.add(String.valueOf(refused.getProperty(Exchange.FAILURE_ENDPOINT)));
        seen.add(String.valueOf(refused.getProperty(Exchange.TO_ENDPOINT)));
        for (Throwable cause = refused.getException(); cause != null; cause = cause.getCause()) {
            seen.add(cause.toString());
        }
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:typo").to(producerUri + "&stringTokn=oops");
                }
            });
        } catch (Exception typo) {
            for (Throwable cause = typo; cause != null; cause = cause.getCause()) {
                seen.add(cause.toString());
            }
        }
        await().atMost(20, TimeUnit.SECONDS)
                .until(() -> Rig.subscription(emulator, topic, "order-service").acked() > ackedBefore);

        for (HealthCheck.Result result : HealthCheckHelper.invoke(camel)) {
            result.getMessage().ifPresent(seen::add);
            result.getDetails().forEach((key, value) -> seen.add(key + "=" + value));
        }
        for (Endpoint endpoint : camel.getEndpoints()) {
            seen.add(endpoint.getEndpointUri());
            seen.add(endpoint.toString());
            seen.add(endpoint.getEndpointBaseUri());
        }
        camel.getEndpointRegistry().values().forEach(endpoint -> seen.add(endpoint.getEndpointUri()));
        jmx(camel);
    }

    /** Every readable attribute of Camel's MBeans, and the route dumps its context MBean offers. */
    private void jmx(CamelContext camel) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.queryNames(new ObjectName("org.apache.camel:*"), null)).as("JMX is on").isNotEmpty();
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:*"), null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (attribute.isReadable()) {
                    try {
                        seen.add(name + " " + attribute.getName() + "="
                                 + server.getAttribute(name, attribute.getName()));
                        jmxAttributes++;
                    } catch (Exception | LinkageError unreadable) {
                        // Some attributes need features that are not on (tracing, a debugger): nothing to read.
                    }
                }
            }
            for (MBeanOperationInfo operation : server.getMBeanInfo(name).getOperations()) {
                if (operation.getName().startsWith("dumpRoutesAs")) {
                    try {
                        Object[] arguments = operation.getSignature().length == 1 ? new Object[] { true }
                                : new Object[operation.getSignature().length];
                        String[] signature = java.util.Arrays.stream(operation.getSignature())
                                .map(javax.management.MBeanParameterInfo::getType).toArray(String[]::new);
                        if (signature.length <= 1) {
                            seen.add(String.valueOf(server.invoke(name, operation.getName(), arguments, signature)));
                        }
                    } catch (Exception notThisOne) {
                        // An overload this check does not call.
                    }
                }
            }
        }
    }

    /** The lines of the log file the last recipe wrote; it starts afresh at each configuration. */
    private void collectLog() throws Exception {
        List<String> lines = Files.readAllLines(LOG);
        logLines += lines.size();
        seen.addAll(lines);
    }

    private static void configureLogging(String resource) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(SecretsTest.class.getClassLoader().getResource(resource));
    }

    /** The fenced block that follows {@code <!-- recipe:name -->} in the README. */
    static String recipe(String readme, String name) {
        int marker = readme.indexOf("<!-- recipe:" + name + " -->");
        assertThat(marker).as("the README's recipe " + name).isNotNegative();
        int start = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
        return readme.substring(start, readme.indexOf("```", start));
    }

    /** The properties of a snippet; with {@code commented}, also those commented out as "#camel.". */
    static Map<String, String> properties(String snippet, boolean commented) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : snippet.split("\n")) {
            String property = commented && line.startsWith("#camel.") ? line.substring(1) : line;
            int equals = property.indexOf('=');
            if (!property.isBlank() && !property.startsWith("#") && equals > 0) {
                properties.put(property.substring(0, equals).strip(), property.substring(equals + 1).strip());
            }
        }
        return properties;
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
