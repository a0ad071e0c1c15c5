package io.github.tdmqhttp.camel.springboot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Masks the tdmq-http secrets (and the SDK's credential variables) in the actuator's env and configprops output, even
 * where an application chose to show values there; and with them every property a secret refers to through a
 * placeholder, such as the environment variable TDMQ_ROLE_KEY behind
 * {@code camel.component.tdmq-http.string-token=${TDMQ_ROLE_KEY}}, which /actuator/env would otherwise show in clear
 * under its own name.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class TdmqHttpSecretsAutoConfiguration {

    /**
     * Property names, without case or separators, that hold a secret of the component or of the SDK; also masked
     * under a TDMQ prefix, as the variables the README names (TDMQ_SECRET_KEY, TDMQ_ROLE_KEY), wherever they are
     * set, even when no property refers to them. "token" covers
     * the session token inside a client bean's credential, which configprops shows as client.credential.token.
     */
    private static final Set<String> SECRETS = Set.of("secretid", "secretkey", "sessiontoken", "stringtoken",
            "token", "proxyusername", "proxypassword", "tencentcloudsecretid", "tencentcloudsecretkey");

    /** The name in ${name} or ${name:default}, and in Camel's {{env:name}} and {{name}}. */
    private static final Pattern SPRING_PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)");
    private static final Pattern CAMEL_PLACEHOLDER = Pattern.compile("\\{\\{(?:env:|sysenv:|sys:)?([^}:]+)");

    /** A secret refers to a property that refers to another: follow a few steps, never a loop. */
    private static final int MAX_REFERENCES = 64;

    @Bean
    public SanitizingFunction tdmqHttpSecretsSanitizingFunction(Environment environment) {
        return data -> sanitize(data, environment);
    }

    static SanitizableData sanitize(SanitizableData data) {
        return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
    }

    /**
     * Masks a secret, and any property a secret refers to. Worked out on every call, from the property sources as they
     * are then: the actuator is not a hot path, and sources can be added after start-up.
     */
    static SanitizableData sanitize(SanitizableData data, Environment environment) {
        if (isSecret(data.getKey())) {
            return data.withSanitizedValue();
        }
        if (data.getKey() != null && environment instanceof ConfigurableEnvironment configurable
            && referencedBySecrets(configurable).contains(relaxed(data.getKey()))) {
            return data.withSanitizedValue();
        }
        return data;
    }

    private static boolean isSecret(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String last = key.substring(key.lastIndexOf('.') + 1).replaceAll("[^a-z0-9]", "");
        String whole = relaxed(key);
        boolean tdmq = whole.contains("tdmqhttp") || whole.startsWith("tencentcloud");
        return tdmq && SECRETS.stream().anyMatch(last::endsWith) || SECRETS.contains(whole)
               || whole.startsWith("tdmq") && (SECRETS.stream().anyMatch(whole::endsWith) || whole.endsWith("rolekey"));
    }

    /**
     * A name as relaxed binding and the system environment source compare them: no case, no separators, so that
     * ${tdmq.role-key} and TDMQ_ROLE_KEY are one name.
     */
    private static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The relaxed names of every property the secret properties refer to, directly or through others. */
    static Set<String> referencedBySecrets(ConfigurableEnvironment environment) {
        Set<String> referenced = new HashSet<>();
        Deque<String> values = new ArrayDeque<>();
        forEachProperty(environment, (name, value) -> {
            if (isSecret(name)) {
                values.add(value);
            }
        });
        while (!values.isEmpty() && referenced.size() < MAX_REFERENCES) {
            for (String reference : placeholderNames(values.poll())) {
                if (referenced.add(reference)) {
                    forEachProperty(environment, (name, value) -> {
                        if (relaxed(name).equals(reference)) {
                            values.add(value);
                        }
                    });
                }
            }
        }
        return referenced;
    }

    private static Set<String> placeholderNames(String value) {
        Set<String> names = new HashSet<>();
        for (Pattern pattern : new Pattern[] { SPRING_PLACEHOLDER, CAMEL_PLACEHOLDER }) {
            Matcher matcher = pattern.matcher(value);
            while (matcher.find()) {
                names.add(relaxed(matcher.group(1)));
            }
        }
        // ${a:${b}}: the default is a placeholder too, and the pattern found it as well.
        names.remove("");
        return names;
    }

    private interface PropertyVisitor {
        void visit(String name, String value);
    }

    /** Every property of every enumerable source whose raw value is text. */
    private static void forEachProperty(ConfigurableEnvironment environment, PropertyVisitor visitor) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (enumerable.getProperty(name) instanceof CharSequence value) {
                        visitor.visit(name, value.toString());
                    }
                }
            }
        }
    }
}
