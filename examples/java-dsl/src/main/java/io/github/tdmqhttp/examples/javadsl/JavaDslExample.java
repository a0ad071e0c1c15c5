package io.github.tdmqhttp.examples.javadsl;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.tencentcloudapi.common.Credential;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java DSL route in a plain main: every second it sends a batch of ten orders as one collection body (the producer
 * sends them on parallel calls), and a consumer logs each order the topic delivers. Without TENCENTCLOUD_SECRET_ID it
 * runs on the embedded emulator; with it, on real TDMQ (set TDMQ_REGION, TDMQ_TOPIC and TDMQ_ROLE_KEY too, and
 * TDMQ_ENDPOINT for the international site). It ends by itself once every order has come back, or after a minute.
 */
public final class JavaDslExample {

    private static final Logger LOG = LoggerFactory.getLogger(JavaDslExample.class);
    static final int BATCHES = 5;
    static final int ORDERS_PER_BATCH = 10;

    private JavaDslExample() {
    }

    public static void main(String[] args) throws Exception {
        boolean credentials = System.getenv("TENCENTCLOUD_SECRET_ID") != null;
        String topic = System.getenv().getOrDefault("TDMQ_TOPIC", "pulsar-demo/default/orders");
        // On the emulator the topic is declared, as creating it in the TDMQ console would: it knows no other.
        try (TdmqEmulator emulator = credentials ? null : TdmqEmulator.builder().topic(topic).build().start()) {
            TdmqHttpConfiguration connection = new TdmqHttpConfiguration();
            if (emulator != null) {
                LOG.info("No TENCENTCLOUD_SECRET_ID in the environment: running on the embedded TDMQ emulator at {}",
                        emulator.endpoint());
                useEmulator(connection, emulator);
            } else {
                connection.setRegion(System.getenv().getOrDefault("TDMQ_REGION", "ap-guangzhou"));
                String endpoint = System.getenv("TDMQ_ENDPOINT");
                if (endpoint != null && !endpoint.isBlank()) {
                    // tdmq.intl.tencentcloudapi.com for an account on the international site.
                    connection.setEndpoint(endpoint);
                }
                connection.setStringToken(System.getenv("TDMQ_ROLE_KEY"));
            }
            CountDownLatch received = new CountDownLatch(BATCHES * ORDERS_PER_BATCH);
            try (CamelContext camel = start(connection, topic, received)) {
                if (received.await(60, TimeUnit.SECONDS)) {
                    LOG.info("All {} orders received and acknowledged", BATCHES * ORDERS_PER_BATCH);
                } else {
                    LOG.warn("{} orders not received within a minute", received.getCount());
                }
            }
        }
    }

    /** Points a configuration at an emulator. */
    static void useEmulator(TdmqHttpConfiguration connection, TdmqEmulator emulator) {
        connection.setEndpoint(emulator.endpoint());
        connection.setRegion(emulator.region());
        connection.setCredentialsProvider(() -> new Credential(emulator.secretId(), emulator.secretKey()));
    }

    /** Starts a Camel context with the two routes; each received order counts the latch down. */
    static CamelContext start(TdmqHttpConfiguration connection, String topic, CountDownLatch received)
            throws Exception {
        CamelContext camel = new DefaultCamelContext();
        TdmqHttpComponent tdmq = new TdmqHttpComponent();
        tdmq.setConfiguration(connection);
        camel.addComponent("tdmq-http", tdmq);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:orders?period=1000&repeatCount=" + BATCHES + "&includeMetadata=true")
                        .routeId("send-orders")
                        .process(exchange -> {
                            long batch = exchange.getProperty("CamelTimerCounter", Long.class);
                            List<String> orders = IntStream.rangeClosed(1, ORDERS_PER_BATCH)
                                    .mapToObj(i -> "order " + batch + "-" + i).toList();
                            exchange.getMessage().setBody(orders);
                        })
                        .to("tdmq-http:" + topic)
                        .log("Sent batch ${exchangeProperty.CamelTimerCounter}: ${header.CamelTdmqHttpMessageIds}");

                from("tdmq-http:" + topic + "?subscription=java-example")
                        .routeId("receive-orders")
                        .log("Received ${body} (message ${header.CamelTdmqHttpMessageId})")
                        .process(exchange -> received.countDown());
            }
        });
        camel.start();
        return camel;
    }
}
