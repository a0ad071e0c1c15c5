package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * The tdmq-http component: {@code tdmq-http:cluster-id/namespace/topic?options}. Options set on the component are the
 * defaults of every endpoint it creates.
 */
@Component("tdmq-http")
public class TdmqHttpComponent extends HealthCheckComponent {

    @Metadata(description = "The shared defaults of the endpoints this component creates.")
    private TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();

    /** How Camel compares an option name with its sensitive keywords: lower case, no dashes. */
    private static final String STRING_TOKEN_KEYWORD = "stringtoken";

    /** The figures of the consumers and producers running now, for the dev console. */
    private final Set<TdmqHttpMetrics> observed = ConcurrentHashMap.newKeySet();

    public TdmqHttpComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TdmqHttpConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.setTopic(remaining);
        TdmqHttpEndpoint endpoint = new TdmqHttpEndpoint(uri, this, endpointConfiguration);
        endpoint.setSecretOptionsInUri(parameters.keySet().stream()
                .filter(option -> TdmqHttpConfiguration.SECRET_OPTIONS.stream().anyMatch(option::equalsIgnoreCase))
                .sorted().toList());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        super.setCamelContext(camelContext);
        if (camelContext != null) {
            maskInCamelLogs(camelContext);
        }
    }

    /**
     * Camel masks option values in what it logs (camel-main's summary of the properties it set, for one) by the
     * option's name, from a list that has secretKey and sessionToken but not stringToken: add it, keeping what the
     * application added.
     */
    static void maskInCamelLogs(CamelContext camelContext) {
        ExtendedCamelContext extension = camelContext.getCamelContextExtension();
        String keywords = extension.getAdditionalSensitiveKeywords();
        if (keywords == null || keywords.isBlank()) {
            extension.setAdditionalSensitiveKeywords(STRING_TOKEN_KEYWORD);
        } else if (!keywords.toLowerCase(Locale.ROOT).contains(STRING_TOKEN_KEYWORD)) {
            extension.setAdditionalSensitiveKeywords(keywords + "," + STRING_TOKEN_KEYWORD);
        }
    }

    void observe(TdmqHttpMetrics metrics) {
        observed.add(metrics);
    }

    void forget(TdmqHttpMetrics metrics) {
        observed.remove(metrics);
    }

    /** The figures of the consumers and producers of this component that are running. */
    List<TdmqHttpMetrics> observed() {
        return List.copyOf(observed);
    }

    public TdmqHttpConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The shared defaults of the endpoints this component creates.
     */
    public void setConfiguration(TdmqHttpConfiguration configuration) {
        this.configuration = configuration;
    }
}
