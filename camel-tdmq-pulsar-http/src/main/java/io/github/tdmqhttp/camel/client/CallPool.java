package io.github.tdmqhttp.camel.client;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.util.concurrent.CamelThreadFactory;

/**
 * The threads that make API calls in the background (acknowledgements, the sends of a collection body): a task goes to
 * an idle thread, else to a new thread while there are fewer than {@code maxThreads}, and waits in the queue only when
 * every thread is busy; a thread idle for a minute ends. So the pool holds as many threads as the calls in flight need
 * (rate × round trip), and a quiet consumer holds one or none.
 * <p>
 * ThreadPoolExecutor's own orders do not do that: with a few core threads it queues first and adds threads only once
 * the queue is full; with as many core threads as the maximum it starts a new thread for each task until it has them
 * all, then hands each task to the thread that has waited longest: 128 threads, used in turn, for calls that one or
 * two could make. CallPoolTest checks this order.
 */
public final class CallPool extends ThreadPoolExecutor {

    private static final long KEEP_ALIVE_SECONDS = 60;

    /** Tasks handed to the pool and not yet finished: the threads beyond them are idle. */
    private final AtomicInteger unfinished = new AtomicInteger();

    private CallPool(int maxThreads, GrowFirstQueue queue, CamelThreadFactory threads) {
        // One core thread: ThreadPoolExecutor starts a thread for a task below the core size without asking the queue.
        super(1, maxThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, queue, threads,
                (task, pool) -> {
                    // The pool reached its maximum between the queue's look at it and the new thread: queue the task.
                    if (pool.isShutdown() || !queue.queue(task)) {
                        throw new RejectedExecutionException("every one of the " + maxThreads + " threads is busy"
                                                             + (pool.isShutdown() ? "" : " and the queue is full"));
                    }
                });
        allowCoreThreadTimeOut(true);
        queue.pool = this;
    }

    /**
     * A pool with threads named as Camel names its own.
     *
     * @param maxThreads the most calls at once
     * @param maxQueued  the most tasks waiting for a thread; beyond that {@link #execute} throws
     *                   {@link RejectedExecutionException}, and the caller decides (run it itself, fail it)
     */
    public static CallPool create(CamelContext camelContext, String name, int maxThreads, int maxQueued) {
        String pattern = camelContext.getExecutorServiceManager().getThreadNamePattern();
        return new CallPool(maxThreads, new GrowFirstQueue(Math.max(1, maxQueued)),
                new CamelThreadFactory(pattern, name, true));
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RejectedExecutionException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        unfinished.decrementAndGet();
        super.afterExecute(task, failure);
    }

    /** Idle threads there are, or no room for another: queue. Otherwise refuse, so that the pool starts a thread. */
    private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {

        private transient volatile CallPool pool;

        GrowFirstQueue(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(Runnable task) {
            CallPool executor = pool;
            int threads = executor.getPoolSize();
            // unfinished counts this task too: a thread is idle when there are more threads than other tasks.
            boolean idleThread = threads >= executor.unfinished.get();
            return (idleThread || threads >= executor.getMaximumPoolSize()) && super.offer(task);
        }

        boolean queue(Runnable task) {
            return super.offer(task);
        }
    }
}
