package io.github.tdmqhttp.camel.springboot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpEndpoint;
import io.github.tdmqhttp.camel.doctor.DoctorOptions;
import io.github.tdmqhttp.camel.doctor.DoctorReport;
import io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/tdmqhttp}: the tdmq-http doctor run on a running application, for each tdmq-http endpoint of its
 * routes (or the component's configuration when no route uses one). It never sends: a consumer's endpoint gets the
 * receive-side checks on its subscription (a message received is left unacknowledged, and TDMQ delivers it again
 * after the ack timeout), a producer's the permission of its send action. Expose it with
 * {@code management.endpoints.web.exposure.include=tdmqhttp}. It shows no secret.
 */
@org.springframework.boot.actuate.endpoint.annotation.Endpoint(id = "tdmqhttp")
public class TdmqHttpDoctorEndpoint {

    private final CamelContext camelContext;

    /** @param camelContext the application's Camel context, whose tdmq-http endpoints are checked */
    public TdmqHttpDoctorEndpoint(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /**
     * Runs the doctor: {@code {"passed": .., "endpoints": [{"endpoint": "from tdmq-http:topic", "passed": ..,
     * "checks": [..]}]}}.
     */
    @ReadOperation
    public Map<String, Object> doctor() {
        List<Map<String, Object>> reports = new ArrayList<>();
        boolean passed = true;
        for (Endpoint endpoint : camelContext.getEndpoints()) {
            if (endpoint instanceof TdmqHttpEndpoint tdmq) {
                boolean consumer = camelContext.getRoutes().stream().map(Route::getEndpoint)
                        .anyMatch(from -> from == endpoint);
                TdmqHttpConfiguration configuration = tdmq.getConfiguration();
                DoctorOptions options = DoctorOptions.DEFAULTS.withSending(!consumer)
                        .withSubscription(consumer ? configuration.getSubscription() : null);
                if (!consumer) {
                    // A producer's endpoint: no receive on some other subscription.
                    configuration = configuration.copy();
                    configuration.setSubscription(null);
                }
                String name = (consumer ? "from" : "to") + " tdmq-http:" + configuration.getTopic()
                              + (consumer ? " (subscription " + configuration.getSubscription() + ")" : "");
                passed &= add(reports, name, new TdmqHttpDoctor(configuration, camelContext).run(options));
            }
        }
        if (reports.isEmpty()) {
            TdmqHttpComponent component = camelContext.getComponent("tdmq-http", TdmqHttpComponent.class);
            if (component != null) {
                passed = add(reports, "the tdmq-http component", new TdmqHttpDoctor(component.getConfiguration(),
                        camelContext).run(DoctorOptions.DEFAULTS));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("passed", passed);
        answer.put("endpoints", reports);
        return answer;
    }

    private static boolean add(List<Map<String, Object>> reports, String name, DoctorReport report) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("endpoint", name);
        one.putAll(report.toMap());
        reports.add(one);
        return report.passed();
    }
}
