package io.github.tdmqhttp.emulator;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.sun.net.httpserver.HttpServer;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures SendMessages calls per second through the Tencent SDK, from 1 and from 16 threads, against the emulator
 * and against two bare servers that answer a fixed SendMessages JSON at once: WireMock with one request filter
 * (the emulator's own plumbing, minus the emulator) and the JDK's HttpServer. Not a test: run it by hand.
 *
 * <pre>
 * mvn -B -q -f tdmq-http-emulator/pom.xml test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:exec \
 *     -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath io.github.tdmqhttp.emulator.EmulatorThroughput"
 * </pre>
 *
 * <p>System properties: {@code rounds} (default 5), {@code roundSeconds} (3), {@code warmupSeconds} (5),
 * {@code threads} (comma-separated, default {@code 1,16}).
 */
public final class EmulatorThroughput {

    private static final String FIXED_ANSWER = "{\"Response\":{\"MessageId\":\"71:11:0:0\",\"ErrorMsg\":\"success\","
            + "\"RequestId\":\"36713f94-0000-4000-8000-000000000000\"}}";
    private static final byte[] FIXED_BYTES = FIXED_ANSWER.getBytes(StandardCharsets.UTF_8);

    private EmulatorThroughput() {
    }

    /** A server under measurement. */
    private interface Target extends AutoCloseable {
        String name();

        int port();

        Credential credential();

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        // Must be set before the JDK HttpServer's configuration class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int rounds = Integer.getInteger("rounds", 5);
        int roundSeconds = Integer.getInteger("roundSeconds", 3);
        int warmupSeconds = Integer.getInteger("warmupSeconds", 5);
        List<Integer> threadCounts = new ArrayList<>();
        for (String count : System.getProperty("threads", "1,16").split(",")) {
            threadCounts.add(Integer.parseInt(count.trim()));
        }

        System.out.printf(Locale.ROOT, "machine: %d cores, %s; java %s%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%d rounds of %d s after %d s of warm-up; median calls/s%n%n", rounds,
                roundSeconds, warmupSeconds);

        List<String> table = new ArrayList<>();
        table.add("| server | threads | calls/s (median) | min | max |");
        table.add("|---|---|---|---|---|");
        List<Target> targets = List.of(emulator(), bareWireMock(), bareJdkServer());
        try {
            for (int threads : threadCounts) {
                // Rounds alternate between the servers, so that JIT warm-up of the client and the machine's noise
                // fall on all of them alike.
                List<TdmqClient> clients = new ArrayList<>();
                List<List<Double>> results = new ArrayList<>();
                for (Target target : targets) {
                    TdmqClient client = Sdk.client(target.port(), target.credential());
                    run(client, threads, warmupSeconds);
                    clients.add(client);
                    results.add(new ArrayList<>());
                }
                for (int round = 0; round < rounds; round++) {
                    for (int t = 0; t < targets.size(); t++) {
                        results.get(t).add(run(clients.get(t), threads, roundSeconds));
                    }
                }
                double emulatorMedian = median(results.get(0));
                for (int t = 0; t < targets.size(); t++) {
                    double median = median(results.get(t));
                    String ratio = t == 0 ? ""
                            : String.format(Locale.ROOT, " (emulator = %.0f%%)", 100 * emulatorMedian / median);
                    String row = String.format(Locale.ROOT, "| %s | %d | %.0f%s | %.0f | %.0f |", targets.get(t).name(),
                            threads, median, ratio, Collections.min(results.get(t)), Collections.max(results.get(t)));
                    table.add(row);
                    System.out.println(row);
                }
            }
        } finally {
            targets.forEach(Target::close);
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /** Calls SendMessages from {@code threads} threads for {@code seconds}; answers calls per second. */
    private static double run(TdmqClient client, int threads, int seconds) throws Exception {
        LongAdder calls = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            for (int t = 0; t < threads; t++) {
                String topic = "pulsar-bench/default/throughput-" + t;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            client.SendMessages(Sdk.send(topic, "a payload of about sixty-four bytes, as a small event"));
                            calls.increment();
                        } catch (TencentCloudSDKException failed) {
                            throw new IllegalStateException(failed.toString(), failed);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(seconds + 30L, TimeUnit.SECONDS);
            }
            return calls.sum() / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Target emulator() {
        // Thousands of calls a second to a topic per thread: the service's quota and topic declaration are off.
        TdmqEmulator emulator = TdmqEmulator.builder().noRateLimit().autoCreateTopics(true).build().start();
        return new Target() {
            @Override
            public String name() {
                return "emulator (signature checked, messages stored)";
            }

            @Override
            public int port() {
                return emulator.port();
            }

            @Override
            public Credential credential() {
                return new Credential(emulator.secretId(), emulator.secretKey());
            }

            @Override
            public void close() {
                emulator.stop();
            }
        };
    }

    /** WireMock configured as the emulator configures it, with a filter that answers the fixed JSON. */
    private static Target bareWireMock() {
        StubRequestFilterV2 fixedAnswer = new StubRequestFilterV2() {
            @Override
            public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
                return RequestFilterAction.stopWith(new ResponseDefinitionBuilder().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(FIXED_BYTES).build());
            }

            @Override
            public String getName() {
                return "fixed-answer";
            }
        };
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1").port(0).http2PlainDisabled(true).disableRequestJournal()
                .stubRequestLoggingDisabled(true).gzipDisabled(true).containerThreads(330).jettyAcceptors(1)
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER).templatingEnabled(false)
                .disableOptimizeXmlFactoriesLoading(true).extensions(fixedAnswer));
        server.start();
        return new Target() {
            @Override
            public String name() {
                return "bare WireMock (fixed answer)";
            }

            @Override
            public int port() {
                return server.port();
            }

            @Override
            public Credential credential() {
                return new Credential("AKIDANY", "any");
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    /** The JDK's HttpServer with TCP_NODELAY, answering the fixed JSON. */
    private static Target bareJdkServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService executor = Executors.newFixedThreadPool(32);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, FIXED_BYTES.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(FIXED_BYTES);
            }
        });
        server.start();
        return new Target() {
            @Override
            public String name() {
                return "bare JDK HttpServer (fixed answer)";
            }

            @Override
            public int port() {
                return server.getAddress().getPort();
            }

            @Override
            public Credential credential() {
                return new Credential("AKIDANY", "any");
            }

            @Override
            public void close() {
                server.stop(0);
                executor.shutdownNow();
            }
        };
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            // not Linux: the core count says enough
        }
        return "CPU model unknown";
    }
}
