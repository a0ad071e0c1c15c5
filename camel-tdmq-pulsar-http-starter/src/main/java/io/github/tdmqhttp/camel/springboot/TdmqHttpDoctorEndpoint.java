package io.github.tdmqhttp.camel.springboot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.tdmqhttp.camel.doctor.DoctorReport;
import io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor;
import org.apache.camel.CamelContext;
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
        for (Map.Entry<String, DoctorReport> entry : TdmqHttpDoctor.runForRoutes(camelContext).entrySet()) {
            passed &= add(reports, entry.getKey(), entry.getValue());
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
