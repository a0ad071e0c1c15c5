package io.github.tdmqhttp.camel.springboot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A Boot application with one route that sends to a topic and one that receives from it. */
@SpringBootApplication
public class StarterTestApplication {

    static final String TOPIC = "pulsar-boot/ns/orders";

    /** The bodies the receiving route saw, in order. */
    @Bean
    public List<String> received() {
        return new CopyOnWriteArrayList<>();
    }

    @Bean
    public RouteBuilder routes(List<String> received) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("tdmq-http:" + TOPIC);
                from("tdmq-http:" + TOPIC + "?subscription=boot&initialDelay=0&delay=50").routeId("receive")
                        .process(exchange -> received.add(exchange.getMessage().getBody(String.class)));
            }
        };
    }
}
