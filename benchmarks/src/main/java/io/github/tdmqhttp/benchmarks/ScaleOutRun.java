package io.github.tdmqhttp.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scale-out part of the benchmark: consumer processes of their own on one subscription, against one process. */
final class ScaleOutRun {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

    private ScaleOutRun() {
    }

    /**
     * Three consumer processes with the defaults on one subscription, each processing a message for a few
     * milliseconds (work off the CPU, as a call to a database would be), against one such process.
     */
    static Benchmark.ScaleOut run(Emulated emulated, boolean quick) throws Exception {
        emulated.latency(20);
        emulated.quota(true);
        int processes = 3;
        int messages = quick ? 300 : 6_000;
        long workMillis = 4;
        try {
            double one = quick ? Double.NaN : consumerProcesses(emulated, 1, messages, workMillis).rate();
            Drain all = consumerProcesses(emulated, processes, messages, workMillis);
            Benchmark.ScaleOut result = new Benchmark.ScaleOut(processes, messages, all.processed(), all.processedTwice(),
                    all.overlapping(), one, all.rate(), workMillis);
            LOG.info("scale-out: {}", result);
            return result;
        } finally {
            emulated.quota(false);
        }
    }

    /** What consumer processes did with a backlog: how fast they drained it, and what they processed twice. */
    record Drain(long processed, long processedTwice, long overlapping, double rate) {
    }

    private static Drain consumerProcesses(Emulated emulated, int processes, int messages, long workMillis)
            throws Exception {
        String topic = emulated.newTopic();
        for (int i = 0; i < messages; i++) {
            emulated.emulator().broker().publish(topic, "message " + i);
        }
        List<Process> children = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                Path output = Files.createTempFile("tdmq-scale-out-" + i, ".tsv");
                Path log = Files.createTempFile("tdmq-scale-out-" + i, ".log");
                outputs.add(output);
                logs.add(log);
                children.add(ChildJvm.start(ScaleOutConsumer.class, log, emulated.emulator().endpoint(),
                        emulated.emulator().secretId(), emulated.emulator().secretKey(), topic, "shared",
                        String.valueOf(workMillis), output.toString()));
            }
            // The rate counts from the first acknowledgement, so that the JVMs' start does not count.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (emulated.acked(topic, "shared") == 0 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            long first = System.nanoTime();
            long firstAcked = emulated.acked(topic, "shared");
            while (emulated.acked(topic, "shared") < messages && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            double rate = (emulated.acked(topic, "shared") - firstAcked) / ((System.nanoTime() - first) / 1e9);
            for (Process child : children) {
                child.getOutputStream().close();
            }
            for (int i = 0; i < children.size(); i++) {
                if (!children.get(i).waitFor(2, TimeUnit.MINUTES)) {
                    children.get(i).destroyForcibly();
                    throw new IllegalStateException("A consumer process did not stop: " + Files.readString(logs.get(i)));
                }
            }
            return count(outputs, rate);
        } finally {
            children.forEach(Process::destroyForcibly);
            for (Path path : outputs) {
                Files.deleteIfExists(path);
            }
            for (Path path : logs) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Counts messages handled more than once, and by two processes at overlapping times. */
    private static Drain count(List<Path> outputs, double rate) throws Exception {
        Map<String, List<long[]>> byPayload = new LinkedHashMap<>();
        for (int process = 0; process < outputs.size(); process++) {
            for (String line : Files.readAllLines(outputs.get(process))) {
                String[] parts = line.split("\t");
                byPayload.computeIfAbsent(parts[0], any -> new ArrayList<>())
                        .add(new long[] { process, Long.parseLong(parts[1]), Long.parseLong(parts[2]) });
            }
        }
        long twice = 0;
        long overlapping = 0;
        for (List<long[]> handlings : byPayload.values()) {
            if (handlings.size() > 1) {
                twice++;
                boolean overlap = false;
                for (int a = 0; a < handlings.size(); a++) {
                    for (int b = a + 1; b < handlings.size(); b++) {
                        long[] x = handlings.get(a);
                        long[] y = handlings.get(b);
                        overlap |= x[0] != y[0] && x[1] < y[2] && y[1] < x[2];
                    }
                }
                overlapping += overlap ? 1 : 0;
            }
        }
        return new Drain(byPayload.size(), twice, overlapping, rate);
    }
}
