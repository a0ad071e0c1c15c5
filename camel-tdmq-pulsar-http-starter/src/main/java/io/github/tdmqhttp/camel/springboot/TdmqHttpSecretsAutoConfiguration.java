package io.github.tdmqhttp.camel.springboot;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Masks the tdmq-http secrets (and the SDK's credential variables) in the actuator's env and configprops output, even
 * where an application chose to show values there.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class TdmqHttpSecretsAutoConfiguration {

    /**
     * Property names, without case or separators, that hold a secret of the component or of the SDK. "token" covers
     * the session token inside a client bean's credential, which configprops shows as client.credential.token.
     */
    private static final Set<String> SECRETS = Set.of("secretid", "secretkey", "sessiontoken", "stringtoken",
            "token", "proxyusername", "proxypassword", "tencentcloudsecretid", "tencentcloudsecretkey");

    @Bean
    public SanitizingFunction tdmqHttpSecretsSanitizingFunction() {
        return TdmqHttpSecretsAutoConfiguration::sanitize;
    }

    static SanitizableData sanitize(SanitizableData data) {
        String key = data.getKey() == null ? "" : data.getKey().toLowerCase(Locale.ROOT);
        String last = key.substring(key.lastIndexOf('.') + 1).replaceAll("[^a-z0-9]", "");
        String whole = key.replaceAll("[^a-z0-9]", "");
        boolean tdmq = whole.contains("tdmqhttp") || whole.startsWith("tencentcloud");
        return tdmq && SECRETS.stream().anyMatch(last::endsWith) || SECRETS.contains(whole)
                ? data.withSanitizedValue() : data;
    }
}
