package io.github.tdmqhttp.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.AcknowledgeMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageRequest;
import com.tencentcloudapi.tdmq.v20200217.models.ReceiveMessageResponse;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesRequest;
import com.tencentcloudapi.tdmq.v20200217.models.SendMessagesResponse;
import io.github.tdmqhttp.camel.TdmqHttpComponent;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Runs in a JVM of its own (the emulator stays in the benchmark's), so that the process CPU time it reads is the
 * client's alone: the raw SDK loops and the component doing the same work at the same rate, one after the other,
 * each after a warm-up. Prints one line per measurement: {@code CPU <load> <messages> <calls> <cpu nanoseconds>}.
 * <p>
 * Arguments: port, secretId, secretKey, send topic, raw consume topic, component consume topic, messages per second,
 * seconds per measurement, rounds, messages of the unpaced warm-up of each load (the consume topics hold them too).
 */
public final class CpuProbe {

    private final int port;
    private final Credential credential;
    private final int perSecond;
    private final long measureNanos;
    private final int warmUp;
    private final LongAdder processed = new LongAdder();

    private CpuProbe(String[] args) {
        this.port = Integer.parseInt(args[0]);
        this.credential = new Credential(args[1], args[2]);
        this.perSecond = Integer.parseInt(args[6]);
        this.measureNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[7]));
        this.warmUp = Integer.parseInt(args[9]);
    }

    public static void main(String[] args) throws Exception {
        CpuProbe probe = new CpuProbe(args);
        String sendTopic = args[3];
        int rounds = Integer.parseInt(args[8]);
        CountingClient raw = probe.client();
        CountingClient producerClient = probe.client();
        CountingClient consumerClient = probe.client();
        try (CamelContext producer = probe.camel(producerClient, sendTopic, null, true)) {
            ProducerTemplate template = producer.createProducerTemplate();
            // The JIT compiles a path after thousands of runs; at the measured rate that would take minutes, and
            // the component's path (Camel's routing too) is longer than the raw loop's: without this, the table
            // would compare the interpreter's cost of each. Each load runs warmUp times as fast as it can first.
            for (int i = 0; i < probe.warmUp; i++) {
                Loads.rawSend(raw, sendTopic);
                template.sendBody("direct:send", Loads.PAYLOAD);
                Loads.rawReceiveAndAck(raw, args[4]);
            }
            try (CamelContext consumer = probe.camel(consumerClient, null, args[5], false)) {
                probe.drain(consumer, probe.warmUp);
            }
            for (int round = 0; round <= rounds; round++) {
                boolean warmUp = round == 0;
                probe.paced("raw SDK send loop", raw, warmUp, () -> Loads.rawSend(raw, sendTopic));
                probe.paced("producer, one message per exchange", producerClient, warmUp,
                        () -> template.sendBody("direct:send", Loads.PAYLOAD));
                probe.paced("raw receive-then-ack loop", raw, warmUp, () -> Loads.rawReceiveAndAck(raw, args[4]));
                try (CamelContext consumer = probe.camel(consumerClient, null, args[5], true)) {
                    probe.consumer(consumer, consumerClient, warmUp);
                }
            }
        }
        System.exit(0);
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs a step perSecond times a second for the measuring time and prints the CPU it cost. */
    private void paced(String name, CountingClient client, boolean warmUp, Step step) throws Exception {
        long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long calls = client.calls.sum();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        long messages = 0;
        for (long next = start; next - start < measureNanos; next += period) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            step.run();
            messages++;
        }
        report(name, warmUp, messages, client.calls.sum() - calls, cpuNanos() - cpu);
    }

    /**
     * Lets the consumer's route run unpaced until it has processed this many messages, for at most a minute (not
     * acknowledged: acknowledgements lag behind an unpaced route, which would by then have taken the whole backlog).
     */
    private void drain(CamelContext camel, int messages) throws InterruptedException {
        long start = processed.sum();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (processed.sum() - start < messages && System.nanoTime() - deadline < 0) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** The consumer drains its backlog at perSecond: its route takes that long per message. */
    private void consumer(CamelContext camel, CountingClient client, boolean warmUp) throws Exception {
        TdmqHttpConsumer consumer = (TdmqHttpConsumer) camel.getRoute("consume").getConsumer();
        TimeUnit.MILLISECONDS.sleep(500);
        long acked = consumer.getAcknowledgedCount();
        long calls = client.calls.sum();
        long cpu = cpuNanos();
        TimeUnit.NANOSECONDS.sleep(measureNanos);
        report("consumer, one receive per batch", warmUp, consumer.getAcknowledgedCount() - acked,
                client.calls.sum() - calls, cpuNanos() - cpu);
    }

    private static void report(String name, boolean warmUp, long messages, long calls, long cpu) {
        if (!warmUp) {
            System.out.println(String.format(Locale.ROOT, "CPU\t%s\t%d\t%d\t%d", name, messages, calls, cpu));
            System.out.flush();
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private CountingClient client() {
        HttpProfile http = new HttpProfile();
        http.setEndpoint("127.0.0.1:" + port);
        http.setProtocol(HttpProfile.REQ_HTTP);
        http.setReadTimeout(30);
        return new CountingClient(credential, new ClientProfile(ClientProfile.SIGN_TC3_256, http));
    }

    /** With {@code paced}, the consumer's route takes 1/perSecond s per message; without, no time at all. */
    private CamelContext camel(CountingClient client, String sendTopic, String consumeTopic, boolean paced)
            throws Exception {
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        configuration.setClient(client);
        TdmqHttpComponent component = new TdmqHttpComponent();
        component.setConfiguration(configuration);
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("tdmq-http", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (sendTopic != null) {
                    from("direct:send").to("tdmq-http:" + sendTopic);
                }
                if (consumeTopic != null) {
                    // The route's pace is the raw loop's: one message every 1/perSecond s, waiting off the CPU.
                    long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
                    AtomicLong next = new AtomicLong(System.nanoTime());
                    from("tdmq-http:" + consumeTopic + "?subscription=component&initialDelay=0").routeId("consume")
                            .process(exchange -> {
                                processed.increment();
                                if (!paced) {
                                    return;
                                }
                                long slot = next.getAndUpdate(last -> Math.max(last, System.nanoTime()) + period);
                                long wait = slot - System.nanoTime();
                                if (wait > 0) {
                                    LockSupport.parkNanos(wait);
                                }
                            });
                }
            }
        });
        camel.start();
        return camel;
    }

    /** The SDK client, counting its calls: what the component and the raw loops cost is compared per call too. */
    static final class CountingClient extends TdmqClient {

        final LongAdder calls = new LongAdder();

        CountingClient(Credential credential, ClientProfile profile) {
            super(credential, "ap-guangzhou", profile);
        }

        @Override
        public SendMessagesResponse SendMessages(SendMessagesRequest request) throws TencentCloudSDKException {
            calls.increment();
            return super.SendMessages(request);
        }

        @Override
        public ReceiveMessageResponse ReceiveMessage(ReceiveMessageRequest request) throws TencentCloudSDKException {
            calls.increment();
            return super.ReceiveMessage(request);
        }

        @Override
        public AcknowledgeMessageResponse AcknowledgeMessage(AcknowledgeMessageRequest request)
                throws TencentCloudSDKException {
            calls.increment();
            return super.AcknowledgeMessage(request);
        }
    }

    /** One line of the probe's output. */
    record Line(String load, long messages, long calls, long cpuNanos) {

        static List<Line> parse(List<String> output) {
            return output.stream().filter(line -> line.startsWith("CPU\t")).map(line -> line.split("\t"))
                    .map(parts -> new Line(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                            Long.parseLong(parts[4]))).toList();
        }

        double microsPerMessage() {
            return messages == 0 ? Double.NaN : cpuNanos / 1e3 / messages;
        }

        double microsPerCall() {
            return calls == 0 ? Double.NaN : cpuNanos / 1e3 / calls;
        }
    }
}
