package io.github.tdmqhttp.camel.client;


import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool behind acknowledgements and parallel sends: a free thread first, then a new one up to the maximum, then
 * the queue, then a refusal; never a thread per task while others are idle.
 */
class CallPoolTest {

    private final CamelContext camel = new DefaultCamelContext();
    private CallPool pool;

    @AfterEach
    void stop() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        camel.close();
    }

    @Test
    void tasksThatComeOneAtATimeShareOneThread() throws Exception {
        pool = CallPool.create(camel, "Test", 128, 128);
        for (int i = 0; i < 200; i++) {
            pool.submit(() -> { }).get(5, TimeUnit.SECONDS);
            // A task is finished for its caller before its thread is back for the next: wait for that.
            waitUntilIdle();
        }

        assertThat(pool.getLargestPoolSize()).isEqualTo(1);
        assertThat(pool.getCompletedTaskCount()).isEqualTo(200);
    }

    @Test
    void busyThreadsMakeNewOnesUpToTheMaximumThenTasksQueueThenTheyAreRefused() throws Exception {
        pool = CallPool.create(camel, "Test", 4, 2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Runnable blocked = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
                ran.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        for (int i = 0; i < 4; i++) {
            pool.execute(blocked);
        }
        assertThat(pool.getPoolSize()).as("a thread for each busy call").isEqualTo(4);
        pool.execute(blocked);
        pool.execute(blocked);
        assertThat(pool.getQueue()).hasSize(2);
        assertThat(pool.getPoolSize()).isEqualTo(4);

        assertThatThrownBy(() -> pool.execute(blocked)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("every one of the 4 threads is busy and the queue is full");

        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(6);
    }

    @Test
    void threadsAreNamedAsCamelNamesItsOwn() throws Exception {
        pool = CallPool.create(camel, "TdmqHttpAck[pulsar-x/ns/t]", 2, 2);
        List<String> names = new ArrayList<>();
        pool.submit(() -> names.add(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS);

        assertThat(names).singleElement().asString().startsWith("Camel (" + camel.getName() + ") thread #")
                .endsWith(" - TdmqHttpAck[pulsar-x/ns/t]");
    }

    private void waitUntilIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.getActiveCount() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }
}
