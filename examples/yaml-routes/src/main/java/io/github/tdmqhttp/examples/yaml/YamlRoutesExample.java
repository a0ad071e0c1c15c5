package io.github.tdmqhttp.examples.yaml;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the YAML routes of src/main/resources/routes with camel-main, until Ctrl-C. Without TENCENTCLOUD_SECRET_ID in
 * the environment it starts the emulator first and points the tdmq-http component at it; with it, TDMQ_ENDPOINT (when
 * set) names the API host.
 */
public final class YamlRoutesExample {

    private static final Logger LOG = LoggerFactory.getLogger(YamlRoutesExample.class);

    private YamlRoutesExample() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(YamlRoutesExample.class);
        boolean credentials = System.getenv("TENCENTCLOUD_SECRET_ID") != null;
        String endpoint = System.getenv("TDMQ_ENDPOINT");
        if (credentials && endpoint != null && !endpoint.isBlank()) {
            // tdmq.intl.tencentcloudapi.com for an account on the international site; the default is the China one.
            main.addInitialProperty("camel.component.tdmq-http.endpoint", endpoint);
        }
        try (TdmqEmulator emulator = credentials ? null : useEmulator(main)) {
            main.run(args);
        }
    }

    /**
     * Starts an emulator with the example's topic ({@code TDMQ_TOPIC}, as application.properties reads it) and
     * configures the component of this Main to use it; the caller stops it.
     */
    static TdmqEmulator useEmulator(Main main) {
        // Declared as creating it in the TDMQ console would: the emulator knows no other topic.
        TdmqEmulator emulator = TdmqEmulator.builder()
                .topic(System.getenv().getOrDefault("TDMQ_TOPIC", "pulsar-demo/default/orders")).build().start();
        // The emulator's keys go in as a bean: secrets in properties are for real credentials.
        main.bind("emulatorKeys", (CredentialsProvider) () -> new Credential(emulator.secretId(), emulator.secretKey()));
        main.addInitialProperty("camel.component.tdmq-http.endpoint", emulator.endpoint());
        main.addInitialProperty("camel.component.tdmq-http.credentialsProvider", "#emulatorKeys");
        LOG.info("No TENCENTCLOUD_SECRET_ID in the environment: running on the embedded TDMQ emulator at {}",
                emulator.endpoint());
        return emulator;
    }
}
