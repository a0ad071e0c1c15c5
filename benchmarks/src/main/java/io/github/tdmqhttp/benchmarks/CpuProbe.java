package io.github.tdmqhttp.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

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
 * each after a warm-up. Prints one line per measurement:
 * {@code CPU <rate> <load> <messages> <calls> <cpu nanoseconds> <milliseconds the JIT compiled meanwhile>}.
 * <p>
 * Arguments: port, secretId, secretKey, send topic, raw consume topic, component consume topic, the rates to measure
 * at (messages per second, comma-separated), seconds per measurement, rounds per rate, messages of the unpaced warm-up
 * of each load (the consume topics hold them too), windows at most per measurement.
 */
public final class CpuProbe {

    private static final int QUIET_COMPILE_MILLIS = 10;
    static final int CONSUMER_WARM_UP_FACTOR = 3;

    private final int port;
    private final Credential credential;
    private final long measureNanos;
    private final int warmUp;
    private final int windows;
    private final LongAdder processed = new LongAdder();
    /** The rate measured now; until it is set, the consumer's route takes no time at all (its warm-up). */
    private volatile int perSecond;

    private CpuProbe(String[] args) {
        this.port = Integer.parseInt(args[0]);
        this.credential = new Credential(args[1], args[2]);
        this.measureNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[7]));
        this.warmUp = Integer.parseInt(args[9]);
        this.windows = Integer.parseInt(args[10]);
    }

    public static void main(String[] args) throws Exception {
        CpuProbe probe = new CpuProbe(args);
        String sendTopic = args[3];
        int rounds = Integer.parseInt(args[8]);
        CountingClient raw = probe.client();
        CountingClient producerClient = probe.client();
        CountingClient consumerClient = probe.client();
        try (CamelContext producer = probe.camel(producerClient, sendTopic, null)) {
            ProducerTemplate template = producer.createProducerTemplate();
            // The JIT compiles a path after thousands of runs; at the measured rate that would take minutes, and
            // the component's path (Camel's routing too) is longer than the raw loop's: without this, the table
            // would compare the interpreter's cost of each. Each load runs warmUp times as fast as it can first.
            for (int i = 0; i < probe.warmUp; i++) {
                Loads.rawSend(raw, sendTopic);
                template.sendBody("direct:send", Loads.PAYLOAD);
                Loads.rawReceiveAndAck(raw, args[4]);
            }
            try (CamelContext consumer = probe.camel(consumerClient, null, args[5])) {
                // Three times as many: the consumer's per-batch code (a loop over the batch) reaches the JIT's last
                // tier only after some 20,000 messages; with fewer it ran profiled, and was compiled, while measured.
                probe.drain(CONSUMER_WARM_UP_FACTOR * probe.warmUp);
                consumer.getRouteController().stopRoute("consume");
                for (String rate : args[6].split(",")) {
                    probe.perSecond = Integer.parseInt(rate);
                    for (int round = 0; round <= rounds; round++) {
                        boolean warmUp = round == 0;
                        probe.measure("raw SDK send loop", raw, warmUp,
                                probe.paced(() -> Loads.rawSend(raw, sendTopic)), () -> 0);
                        probe.measure("producer, one message per exchange", producerClient, warmUp,
                                probe.paced(() -> template.sendBody("direct:send", Loads.PAYLOAD)), () -> 0);
                        probe.measure("raw receive-then-ack loop", raw, warmUp,
                                probe.paced(() -> Loads.rawReceiveAndAck(raw, args[4])), () -> 0);
                        // One Camel context for all rounds, as in an application; its route runs paced when measured.
                        consumer.getRouteController().startRoute("consume");
                        TdmqHttpConsumer route = (TdmqHttpConsumer) consumer.getRoute("consume").getConsumer();
                        TimeUnit.MILLISECONDS.sleep(500);
                        probe.measure("consumer, one receive per batch", consumerClient, warmUp, probe::idle,
                                route::getAcknowledgedCount);
                        consumer.getRouteController().stopRoute("consume");
                    }
                }
            }
        }
        System.exit(0);
    }

    /** What is measured: the work of one window. */
    interface Step {
        /** Runs for the measuring time; returns the messages it handled, or 0 when they are counted elsewhere. */
        long run() throws Exception;
    }

    interface Action {
        void run() throws Exception;
    }

    /** Runs an action perSecond times a second for the measuring time. */
    private Step paced(Action action) {
        return () -> {
            long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long start = System.nanoTime();
            long messages = 0;
            for (long next = start; next - start < measureNanos; next += period) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                action.run();
                messages++;
            }
            return messages;
        };
    }

    /** The consumer's window: its own threads do the work, this one only waits. */
    private long idle() throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(measureNanos);
        return 0;
    }

    /**
     * Measures the CPU of one window of a load and prints it. A window in which the JIT compiler worked for
     * {@value #QUIET_COMPILE_MILLIS} ms or more is measured again, at most {@code windows} times in all, for every
     * load alike: compiling is a cost of a JVM's first minutes, paid once, and a burst of it in one window would
     * otherwise weigh more than the load measured (the line says how long the JIT compiled in the window kept).
     *
     * @param counted the messages the load handled so far, for a step that does not count them itself
     */
    private void measure(String name, CountingClient client, boolean warmUp, Step step,
            LongSupplier counted) throws Exception {
        for (int window = 1; ; window++) {
            long compiled = compileMillis();
            long calls = client.calls.sum();
            long before = counted.getAsLong();
            long cpu = cpuNanos();
            long messages = step.run();
            cpu = cpuNanos() - cpu;
            messages += counted.getAsLong() - before;
            compiled = compileMillis() - compiled;
            if (compiled < QUIET_COMPILE_MILLIS || window >= windows) {
                if (!warmUp) {
                    System.out.println(String.format(Locale.ROOT, "CPU\t%d\t%s\t%d\t%d\t%d\t%d", perSecond, name,
                            messages, client.calls.sum() - calls, cpu, compiled));
                    System.out.flush();
                }
                return;
            }
        }
    }

    /**
     * Lets the consumer's route run unpaced until it has processed this many messages, for at most 2 minutes (not
     * acknowledged: acknowledgements lag behind an unpaced route, which would by then have taken the whole backlog).
     */
    private void drain(int messages) throws InterruptedException {
        long start = processed.sum();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (processed.sum() - start < messages && System.nanoTime() - deadline < 0) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** How long the JIT compiler has worked so far, in milliseconds. */
    private static long compileMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
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

    /** The route of a consume topic takes 1/perSecond s per message once a rate is set, no time at all before. */
    private CamelContext camel(CountingClient client, String sendTopic, String consumeTopic) throws Exception {
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
                    AtomicLong next = new AtomicLong(System.nanoTime());
                    from("tdmq-http:" + consumeTopic + "?subscription=component&initialDelay=0").routeId("consume")
                            .process(exchange -> {
                                processed.increment();
                                int rate = perSecond;
                                if (rate == 0) {
                                    return;
                                }
                                long period = TimeUnit.SECONDS.toNanos(1) / rate;
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
    record Line(int perSecond, String load, long messages, long calls, long cpuNanos, long compileMillis) {

        static List<Line> parse(List<String> output) {
            return output.stream().filter(line -> line.startsWith("CPU\t")).map(line -> line.split("\t"))
                    .map(parts -> new Line(Integer.parseInt(parts[1]), parts[2], Long.parseLong(parts[3]),
                            Long.parseLong(parts[4]), Long.parseLong(parts[5]), Long.parseLong(parts[6]))).toList();
        }

        double microsPerMessage() {
            return messages == 0 ? Double.NaN : cpuNanos / 1e3 / messages;
        }

        double microsPerCall() {
            return calls == 0 ? Double.NaN : cpuNanos / 1e3 / calls;
        }
    }
}
