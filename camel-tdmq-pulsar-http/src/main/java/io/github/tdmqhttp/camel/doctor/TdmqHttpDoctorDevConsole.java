package io.github.tdmqhttp.camel.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code tdmq-http-doctor} dev console: runs {@link TdmqHttpDoctor#runForRoutes} on the running context, one report
 * per tdmq-http endpoint. It never sends; a consumer's endpoint gets a receive on its subscription, whose message, if
 * any, is left unacknowledged (TDMQ delivers it again after the ack timeout). Camel shows it wherever it shows dev
 * consoles (camel CLI's {@code camel get}, the management HTTP server's {@code /q/dev/tdmq-http-doctor}) once dev
 * consoles are enabled.
 */
@org.apache.camel.spi.annotations.DevConsole(name = "tdmq-http-doctor", displayName = "TDMQ HTTP doctor",
                                             description = "Checks each tdmq-http endpoint's connection to TDMQ")
public class TdmqHttpDoctorDevConsole extends AbstractDevConsole {

    /** The console, in Camel's group. */
    public TdmqHttpDoctorDevConsole() {
        super("camel", "tdmq-http-doctor", "TDMQ HTTP doctor", "Checks each tdmq-http endpoint's connection to TDMQ");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        TdmqHttpDoctor.runForRoutes(getCamelContext()).forEach((endpoint, report) -> {
            text.append(endpoint).append('\n');
            report.lines().forEach(line -> text.append("    ").append(line).append('\n'));
        });
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> endpoints = new ArrayList<>();
        boolean passed = true;
        for (Map.Entry<String, DoctorReport> entry : TdmqHttpDoctor.runForRoutes(getCamelContext()).entrySet()) {
            JsonObject one = new JsonObject(entry.getValue().toMap());
            one.put("endpoint", entry.getKey());
            endpoints.add(one);
            passed &= entry.getValue().passed();
        }
        root.put("passed", passed);
        root.put("endpoints", endpoints);
        return root;
    }
}
