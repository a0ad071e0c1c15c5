package io.github.tdmqhttp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/** The heap part of the benchmark: the heap after each collection while one consumer drains a large backlog. */
final class HeapProbe {

    private HeapProbe() {
    }

    /** The heap, after each collection, while the consumer drains a backlog: flat if in-flight work is bounded. */
    record HeapDrain(int messages, double seconds, long heapBeforeMb, long heapPeakMb, long heapAfterMb) {
    }

    static HeapDrain whileDraining(Emulated emulated, int messages) throws Exception {
        emulated.latency(0);
        String topic = emulated.newTopic();
        emulated.publish(topic, messages);
        System.gc();
        long before = heapAfterGcMb();
        long peak = before;
        long start = System.nanoTime();
        try (CamelContext camel = emulated.camel()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tdmq-http:" + topic + "?subscription=heap&initialDelay=0&maxRequestsPerSecond=0")
                            .setHeader("seen", constant(true));
                }
            });
            camel.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (emulated.acked(topic, "heap") < messages && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(250);
                peak = Math.max(peak, heapAfterGcMb());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        return new HeapDrain(messages, seconds, before, peak, heapAfterGcMb());
    }

    /** The heap in use after the latest collection of each pool, the figure that grows when something leaks. */
    private static long heapAfterGcMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used / (1024 * 1024);
    }
}
