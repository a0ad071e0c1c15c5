package io.github.tdmqhttp.camel.metrics;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a consumer's or producer's figures as Micrometer meters when Micrometer is on the classpath and
 * metricsEnabled is on. Internal: not part of the component's API.
 */
public final class MetricsPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);
    private static final TdmqHttpMetrics.Publication NOWHERE = () -> {
    };
    /** Whether Micrometer is on the classpath; asked by name, so that no Micrometer class is loaded without it. */
    private static final boolean MICROMETER = isPresent("io.micrometer.core.instrument.MeterRegistry");

    private MetricsPublisher() {
    }

    /**
     * Publishes the figures; answers what takes them back. A failure to publish is logged and leaves the component
     * working.
     */
    public static TdmqHttpMetrics.Publication publish(CamelContext context, TdmqHttpMetrics metrics) {
        if (!MICROMETER || !metrics.configuration().isMetricsEnabled()) {
            return NOWHERE;
        }
        try {
            return TdmqHttpMicrometer.publish(context, metrics);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("The figures of the tdmq-http {} of {} are not published to Micrometer: {}", metrics.role(),
                    metrics.topic(), e.toString());
            return NOWHERE;
        }
    }

    public static boolean isMicrometerPresent() {
        return MICROMETER;
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, MetricsPublisher.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
