package io.github.tdmqhttp.camel.testing;

import com.tencentcloudapi.common.Credential;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The rig the benchmark and the reliability suite share: a tdmq-http component whose defaults point at an emulator,
 * with its keys given by a credentials provider (never in a URI), and a Camel context that uses it. Published in the
 * component's test jar ({@code <classifier>tests</classifier>}), this package only.
 */
public final class EmulatedTdmqHttp {

    private EmulatedTdmqHttp() {
    }

    /** A component whose endpoints reach the emulator with its region and keys, and the component's defaults. */
    public static TdmqHttpComponent component(TdmqEmulator emulator) {
        return component(emulator.endpoint(), emulator.region(), emulator.secretId(), emulator.secretKey());
    }

    /** The same for an emulator known by its address and keys only, such as one in another process. */
    public static TdmqHttpComponent component(String endpoint, String region, String secretId, String secretKey) {
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        configuration.setEndpoint(endpoint);
        configuration.setRegion(region);
        configuration.setCredentialsProvider(() -> new Credential(secretId, secretKey));
        TdmqHttpComponent component = new TdmqHttpComponent();
        component.setConfiguration(configuration);
        return component;
    }

    /** A new, not yet started Camel context with {@link #component} as tdmq-http. */
    public static CamelContext context(TdmqEmulator emulator) {
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("tdmq-http", component(emulator));
        return camel;
    }

    /**
     * What a user of a private endpoint configures as {@code sslContextParameters}: a trust store with the server's
     * certificate, here the one the emulator made for its HTTPS port.
     */
    public static SSLContextParameters trustingTheEmulator(TdmqEmulator emulator) {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource("file:" + emulator.certificate().trustStore());
        trustStore.setPassword(emulator.certificate().trustStorePassword());
        trustStore.setType("PKCS12");
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trustStore);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trustManagers);
        return parameters;
    }
}
