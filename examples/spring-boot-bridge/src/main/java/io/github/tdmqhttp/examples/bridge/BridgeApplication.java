package io.github.tdmqhttp.examples.bridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Bridges files and HTTP to a TDMQ topic, and the topic to an outbox folder. With no Tencent Cloud credentials it runs
 * on the embedded emulator (see {@link EmulatorFallback}).
 */
@SpringBootApplication
public class BridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(BridgeApplication.class, args);
    }
}
