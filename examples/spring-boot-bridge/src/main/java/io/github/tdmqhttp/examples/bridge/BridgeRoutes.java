package io.github.tdmqhttp.examples.bridge;

import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The three bridges. Messages are never lost on the way: a file leaves the inbox only once TDMQ has it, an HTTP caller
 * gets an answer only once TDMQ has the message, and a message is acknowledged only once it is in the outbox.
 */
@Component
public class BridgeRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // Files dropped in the inbox: one message each. A file moves to .done once sent; a send that fails for a
        // reason retrying can help is retried for minutes; one that cannot succeed moves the file to .failed.
        from("file:{{bridge.inbox}}?move=.done&moveFailed=.failed&readLock=changed&readLockMinAge=500")
                .routeId("files-to-topic")
                .onException(TdmqHttpException.class)
                    .onWhen(exchange -> exchange.getException(TdmqHttpException.class).isRetryable())
                    .maximumRedeliveries(10).redeliveryDelay(1000).useExponentialBackOff().maximumRedeliveryDelay(30000)
                .end()
                .to("tdmq-http:{{bridge.topic}}")
                .log("Sent file ${header.CamelFileName} as message ${header.CamelTdmqHttpMessageId}");

        // POST /messages: the body becomes one message, and the answer carries its id.
        from("platform-http:/messages?httpMethodRestrict=POST")
                .routeId("http-to-topic")
                .onException(TdmqHttpException.class)
                    .handled(true)
                    .process(exchange -> {
                        TdmqHttpException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                                TdmqHttpException.class);
                        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, failure.isRetryable() ? 503 : 400);
                        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
                        exchange.getMessage().setBody(failure.getMessage() + "\n");
                    })
                .end()
                .convertBodyTo(String.class)
                .to("tdmq-http:{{bridge.topic}}")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(simple("{\"messageId\":\"${header." + TdmqHttpConstants.MESSAGE_ID + "}\"}\n"));

        // The topic's messages: logged, then written to the outbox under their message id.
        from("tdmq-http:{{bridge.topic}}?subscription={{bridge.subscription}}")
                .routeId("topic-to-outbox")
                .log("Received message ${header.CamelTdmqHttpMessageId}: ${body}")
                .setHeader(Exchange.FILE_NAME, simple("${header.CamelTdmqHttpMessageId.replace(':', '-')}.txt"))
                .to("file:{{bridge.outbox}}");

        // Only on the emulator: a message every few seconds, so that something flows as soon as the demo starts.
        from("timer:demo-ticker?period={{bridge.ticker.period}}&includeMetadata=true")
                .routeId("demo-ticker").autoStartup("{{bridge.ticker.enabled}}")
                .setBody(simple("tick ${exchangeProperty.CamelTimerCounter} at ${date:now:HH:mm:ss}"))
                .to("tdmq-http:{{bridge.topic}}");
    }
}
