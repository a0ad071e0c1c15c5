package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.producer.PartialSends;

import java.util.List;
import java.util.stream.IntStream;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the producer remembers of a collection body it sent in part belongs to one endpoint and one list: a
 * redelivery of the same exchange sends only the elements that failed, and every other send sends every element.
 */
class TdmqHttpProducerPartialSendTest extends CamelTestSupport {

    private static final int ELEMENTS = 20;
    private static final int FAILING = 6;

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder().autoCreateTopics(true));

    private String first;
    private String second;

    @BeforeEach
    void nameTheTopicsAfterTheTest(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        first = "pulsar-partial/ns/" + name + "-a";
        second = "pulsar-partial/ns/" + name + "-b";
        emulator.broker().createTopic(first, 1);
        emulator.broker().createTopic(second, 1);
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    @Override
    public boolean isUseRouteBuilder() {
        return false;
    }

    private String to(String topic) {
        return emulator.camelUri(topic) + "&maxRetries=0";
    }

    private long stored(String topic) {
        return emulator.broker().topicStats(topic).sent();
    }

    private static List<String> list(String prefix) {
        return IntStream.range(0, ELEMENTS).mapToObj(i -> prefix + "-" + i).toList();
    }

    /** The next FAILING sends fail with an error after which the message is certainly not stored. */
    private void failTheNextSends() {
        emulator.faults().add(FaultRule.errorCode("InternalError", "this send fails").forAction("SendMessages")
                .times(FAILING));
    }

    @Test
    void aListPartlySentToOneTopicThenSentToAnotherReachesTheOtherWhole() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:two-topics")
                        .doTry().to(to(first)).doCatch(TdmqHttpPartialSendException.class).end()
                        .to(to(second))
                        // Back to the first topic, with the same list: only what did not reach it is sent.
                        .to(to(first));
            }
        });
        context.start();
        failTheNextSends();

        Exchange exchange = template.request("direct:two-topics", e -> e.getMessage().setBody(list("order")));

        assertThat(exchange.getException()).isNull();
        assertThat(stored(second)).as("every element on the second topic").isEqualTo(ELEMENTS);
        assertThat(stored(first)).as("the first topic: each element once").isEqualTo(ELEMENTS);
        assertThat(exchange.getProperty(PartialSends.EXCHANGE_PROPERTY)).as("nothing left to remember").isNull();
    }

    @Test
    void aRedeliveryOfTheSameExchangeSendsOnlyTheElementsThatFailed() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(TdmqHttpPartialSendException.class).maximumRedeliveries(1).redeliveryDelay(10);
                from("direct:redeliver").to(to(first));
            }
        });
        context.start();
        failTheNextSends();

        Exchange exchange = template.request("direct:redeliver", e -> e.getMessage().setBody(list("order")));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(TdmqHttpConstants.MESSAGE_IDS, List.class)).hasSize(ELEMENTS)
                .doesNotHaveDuplicates();
        assertThat(stored(first)).isEqualTo(ELEMENTS);
    }

    @Test
    void anotherListOfTheSameSizeSendsEveryElement() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:next-list")
                        .doTry().to(to(first)).doCatch(TdmqHttpPartialSendException.class).end()
                        .setBody(constant(list("invoice")))
                        .to(to(first));
            }
        });
        context.start();
        failTheNextSends();

        Exchange exchange = template.request("direct:next-list", e -> e.getMessage().setBody(list("order")));

        assertThat(exchange.getException()).isNull();
        assertThat(stored(first)).as("what reached the first list's send, and all of the second list")
                .isEqualTo(ELEMENTS - FAILING + ELEMENTS);
    }

    @Test
    void theSameElementsInAnotherOrderAreAnotherList() {
        String endpoint = "tdmq-http://pulsar-partial/ns/t";
        List<String> list = List.of("a", "b", "c");
        assertThat(PartialSends.key(endpoint, "t", list)).isEqualTo(PartialSends.key(endpoint, "t", List.of("a", "b", "c")))
                .isNotEqualTo(PartialSends.key(endpoint, "t", List.of("b", "a", "c")))
                .isNotEqualTo(PartialSends.key(endpoint, "t", List.of("ab", "c")))
                .isNotEqualTo(PartialSends.key(endpoint, "u", list))
                .isNotEqualTo(PartialSends.key(endpoint + "?batching=true", "t", list));
    }
}
