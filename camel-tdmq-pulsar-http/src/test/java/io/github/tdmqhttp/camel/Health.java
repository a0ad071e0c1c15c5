package io.github.tdmqhttp.camel;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;

/** Turns on Camel's consumer health checks, as camel-main and Spring Boot do, and reads a route's consumer check. */
final class Health {

    private Health() {
    }

    static void enableConsumerChecks(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.register(registry.resolveById("consumers"));
    }

    /** The state of the consumer check of a route, or empty while the check is not registered. */
    static Optional<HealthCheck.Result> consumer(CamelContext context, String routeId) {
        return HealthCheckHelper.invoke(context).stream()
                .filter(result -> result.getCheck().getId().equals("consumer:" + routeId))
                .findFirst();
    }

    static HealthCheck.State consumerState(CamelContext context, String routeId) {
        return consumer(context, routeId).map(HealthCheck.Result::getState).orElse(HealthCheck.State.UNKNOWN);
    }
}
