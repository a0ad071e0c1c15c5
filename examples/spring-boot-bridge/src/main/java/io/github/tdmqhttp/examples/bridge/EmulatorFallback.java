package io.github.tdmqhttp.examples.bridge;

import java.util.LinkedHashMap;
import java.util.Map;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When no Tencent Cloud credentials are configured, starts the TDMQ emulator in this JVM and points the tdmq-http
 * component at it, so that the application runs with nothing to set up. With TENCENTCLOUD_SECRET_ID and
 * TENCENTCLOUD_SECRET_KEY (or camel.component.tdmq-http.secret-id and secret-key) it does nothing and the application
 * talks to real TDMQ.
 */
public class EmulatorFallback implements EnvironmentPostProcessor, Ordered {

    static final String CREDENTIALS_BEAN = "tdmqEmulatorCredentials";

    private final Log log;

    public EmulatorFallback(DeferredLogFactory logs) {
        this.log = logs.getLog(EmulatorFallback.class);
    }

    @Override
    public int getOrder() {
        // After application.properties are read, so that credentials given there count.
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (hasCredentials(environment)) {
            log.info("Tencent Cloud credentials found: using TDMQ at "
                     + environment.getProperty("camel.component.tdmq-http.endpoint", "tdmq.tencentcloudapi.com")
                     + " in " + environment.getProperty("camel.component.tdmq-http.region"));
            return;
        }
        if (!environment.getProperty("bridge.emulator.enabled", Boolean.class, true)) {
            return;
        }
        TdmqEmulator emulator = TdmqEmulator.builder()
                .port(environment.getProperty("bridge.emulator.port", Integer.class, 0))
                // The bridge's topic, declared as creating it in the TDMQ console would: other topics do not exist.
                .topic(environment.getProperty("bridge.topic", "pulsar-demo/default/orders"))
                .build()
                .start();
        // The emulator's server threads would keep the JVM alive: stop it when the application closes, and also when
        // it fails to start, which never sends a ContextClosedEvent (the demo would hang after its error message).
        application.addListeners((ApplicationListener<ApplicationEvent>) event -> {
            if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
                emulator.stop();
            }
        });
        // The emulator's keys go in as a bean, not as properties: secrets in properties are for real credentials.
        CredentialsProvider emulatorKeys = () -> new Credential(emulator.secretId(), emulator.secretKey());
        application.addInitializers(context -> context.getBeanFactory().registerSingleton(CREDENTIALS_BEAN, emulatorKeys));

        Map<String, Object> pointAtEmulator = new LinkedHashMap<>();
        pointAtEmulator.put("camel.component.tdmq-http.endpoint", emulator.endpoint());
        pointAtEmulator.put("camel.component.tdmq-http.region", emulator.region());
        pointAtEmulator.put("camel.component.tdmq-http.credentials-provider", "#" + CREDENTIALS_BEAN);
        pointAtEmulator.put("bridge.ticker.enabled", "true");
        // Before application.properties, so that these win over its defaults; properties given on the command line
        // or in the environment still win over them.
        MapPropertySource emulatorProperties = new MapPropertySource("tdmq-emulator", pointAtEmulator);
        if (environment.getPropertySources().contains("systemEnvironment")) {
            environment.getPropertySources().addAfter("systemEnvironment", emulatorProperties);
        } else {
            environment.getPropertySources().addFirst(emulatorProperties);
        }
        log.info("No Tencent Cloud credentials configured (TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY): started"
                 + " the embedded TDMQ emulator at " + emulator.endpoint() + ". Set them, with TDMQ_REGION, TDMQ_TOPIC"
                 + " and TDMQ_ROLE_KEY, to use real TDMQ.");
    }

    private static boolean hasCredentials(ConfigurableEnvironment environment) {
        return !environment.getProperty("camel.component.tdmq-http.secret-id", "").isBlank()
               || !environment.getProperty("TENCENTCLOUD_SECRET_ID", "").isBlank();
    }
}
