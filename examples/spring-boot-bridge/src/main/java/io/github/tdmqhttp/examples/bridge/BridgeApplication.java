package io.github.tdmqhttp.examples.bridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Bridges files and HTTP to a TDMQ topic, and the topic to an outbox folder. With no Tencent Cloud credentials it runs
 * on the embedded emulator (see {@link EmulatorFallback}).
 */
@SpringBootApplication
public class BridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(BridgeApplication.class, args);
    }

    /** POST /messages takes any text body, also the form-encoded one curl sends by default (see {@link FormBodyAsText}). */
    @Bean
    FilterRegistrationBean<FormBodyAsText> formBodyAsText() {
        FilterRegistrationBean<FormBodyAsText> registration = new FilterRegistrationBean<>(new FormBodyAsText());
        registration.addUrlPatterns("/messages");
        return registration;
    }
}
