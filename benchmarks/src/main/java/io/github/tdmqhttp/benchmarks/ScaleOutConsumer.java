package io.github.tdmqhttp.benchmarks;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One of several consumer processes on one subscription, with the component's defaults: it processes each message
 * for a fixed time (the route's work) and writes, per message, its payload and when its processing began and ended
 * (microseconds since the epoch, comparable between processes), so that the benchmark can count messages processed
 * twice, and at the same time. Runs until its standard input closes, then stops gracefully and writes the file.
 * <p>
 * Arguments: endpoint URL, secretId, secretKey, topic, subscription, milliseconds of work per message, output file.
 */
public final class ScaleOutConsumer {

    private ScaleOutConsumer() {
    }

    /** A message as one process handled it. */
    record Handled(String payload, long startMicros, long endMicros) {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String topic = args[3];
        String subscription = args[4];
        long workMillis = Long.parseLong(args[5]);
        Path out = Path.of(args[6]);
        Queue<Handled> handled = new ConcurrentLinkedQueue<>();
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("tdmq-http", EmulatedTdmqHttp.component(endpoint, "ap-guangzhou", args[1], args[2]));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("tdmq-http:" + topic + "?subscription=" + subscription + "&initialDelay=0").process(exchange -> {
                    long start = micros();
                    TimeUnit.MILLISECONDS.sleep(workMillis); // the route's work, off the CPU
                    handled.add(new Handled(exchange.getIn().getBody(String.class), start, micros()));
                });
            }
        });
        camel.start();
        System.out.println("STARTED");
        System.out.flush();
        // Bounded: the benchmark closes standard input when it is done, or the process ends after ten minutes.
        Thread reader = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the end of input
                }
            } catch (Exception e) {
                // the parent is gone: stop too
            }
        });
        reader.setDaemon(true);
        reader.start();
        reader.join(TimeUnit.MINUTES.toMillis(10));
        camel.stop();
        try (BufferedWriter writer = Files.newBufferedWriter(out)) {
            for (Handled each : handled) {
                writer.write(each.payload() + "\t" + each.startMicros() + "\t" + each.endMicros());
                writer.newLine();
            }
        }
        System.out.println("DONE " + handled.size());
        System.exit(0);
    }

    private static long micros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }
}
