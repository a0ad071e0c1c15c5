package io.github.tdmqhttp.reliability;

import java.util.List;

import io.github.tdmqhttp.camel.TdmqHttpPartialSendException;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists sent in part to one topic, the failure handled by the route, then to a second topic, then to the first
 * again, while a third of all sends fail: the second topic stores every element, and the first each element once.
 */
class PartialSendScenarioTest {

    static final int LISTS = Integer.getInteger("reliability.partialLists", 20);
    static final int ELEMENTS = 20;

    @Test
    void aListPartlySentToOneTopicReachesTheNextWholeAndTheFirstOnce() throws Exception {
        String first = "pulsar-reliability/ns/partial-a";
        String second = "pulsar-reliability/ns/partial-b";
        long started = System.nanoTime();
        try (TdmqEmulator emulator = Rig.emulator(first, second);
             CamelContext camel = Rig.camel(emulator, "partial")) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // Camel redelivers a failed send; the component sends again only what did not go.
                    onException(TdmqHttpPartialSendException.class).maximumRedeliveries(20).redeliveryDelay(10);
                    from("direct:lists")
                            .doTry().to("tdmq-http:" + first + "?maxRetries=0")
                            .doCatch(TdmqHttpPartialSendException.class).end()
                            .to("tdmq-http:" + second + "?maxRetries=0")
                            .to("tdmq-http:" + first + "?maxRetries=0");
                }
            });
            camel.start();
            // A third of all sends fail with an error after which the message is certainly not stored.
            emulator.faults().add(FaultRule.errorCode("InternalError", "this send fails").forAction("SendMessages")
                    .rate(1.0 / 3));
            ProducerTemplate template = camel.createProducerTemplate();
            long failedExchanges = 0;
            for (int list = 0; list < LISTS; list++) {
                List<String> elements = Rig.payloads("list" + list, ELEMENTS);
                Exchange exchange = template.request("direct:lists", e -> e.getMessage().setBody(elements));
                failedExchanges += exchange.getException() != null ? 1 : 0;
            }
            long total = (long) LISTS * ELEMENTS;
            long onSecond = Rig.stored(emulator, second);
            long onFirst = Rig.stored(emulator, first);
            Figures.add(new Figures.Row("13. Lists of 20 partly sent to topic A (handled), then to B, then to A"
                                        + " again; a third of all sends fail", total,
                    Math.max(0, total - onSecond) + Math.max(0, total - onFirst),
                    Math.max(0, onSecond - total) + Math.max(0, onFirst - total), "—",
                    String.format("%d stored on B, %d on A, %d exchanges failed, %d sends refused, %.0f s", onSecond,
                            onFirst, failedExchanges,
                            emulator.requestStats().get("SendMessages").faultsInjected(),
                            (System.nanoTime() - started) / 1e9)));

            assertThat(failedExchanges).isZero();
            assertThat(onSecond).as("every element on B").isEqualTo(total);
            assertThat(onFirst).as("every element on A, once").isEqualTo(total);
        }
    }
}
