package io.github.tdmqhttp.camel.consumer;

import io.github.tdmqhttp.camel.TdmqHttpActions;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.camel.client.TdmqHttpGateway;
import io.github.tdmqhttp.camel.metrics.TdmqHttpMetrics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The ReceiveMessage calls of a consumer: while a poller processes what a receive brought, the next receive is already
 * in flight, and while messages flow faster than one receive per round trip brings them, up to maxReceivesInFlight
 * are, as many as {@link ReceiveSizing} says the pollers need. Every receive first takes room for the messages it asks
 * for ({@link AckCapacity}). Receives started ahead count for nothing when the consumer stops or suspends: what they
 * bring is left for redelivery. Thread-safe. Internal.
 */
public final class ReceivePipeline {

    private final TdmqHttpConfiguration configuration;
    private final TdmqHttpMetrics metrics;
    private final ReceiveSizing sizing;
    private final AckDeadlines deadlines;
    private final Supplier<TdmqHttpGateway> gateway;
    /** Receives started ahead, oldest first, not yet taken by a poller. Guarded by itself. */
    private final Deque<Receive> ahead = new ArrayDeque<>();
    private final LongAdder startedAhead = new LongAdder();
    private volatile ExecutorService executor;
    private volatile AckCapacity capacity;

    public ReceivePipeline(TdmqHttpConfiguration configuration, TdmqHttpMetrics metrics, ReceiveSizing sizing,
                           AckDeadlines deadlines, Supplier<TdmqHttpGateway> gateway) {
        this.configuration = configuration;
        this.metrics = metrics;
        this.sizing = sizing;
        this.deadlines = deadlines;
        this.gateway = gateway;
    }

    /**
     * The consumer starts: receives left from before a restart are forgotten. Never more than maxReceivesInFlight
     * start ahead, so their pool needs no queue; a receive that finds every thread busy is made by the poller itself.
     *
     * @param source the consumer, which owns the pool's threads
     */
    public void start(CamelContext context, Object source, AckCapacity capacity) {
        synchronized (ahead) {
            ahead.clear();
        }
        this.capacity = capacity;
        ThreadPoolProfile receives = new ThreadPoolProfile("tdmq-http-receive");
        receives.setPoolSize(configuration.getMaxReceivesInFlight());
        receives.setMaxPoolSize(configuration.getMaxReceivesInFlight());
        receives.setMaxQueueSize(0);
        receives.setAllowCoreThreadTimeOut(true);
        receives.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        executor = context.getExecutorServiceManager()
                .newThreadPool(source, "TdmqHttpReceive[" + configuration.getTopic() + "]", receives);
    }

    /**
     * Stops the receives started ahead without waiting for them, and their threads: messages they bring are never
     * processed, so TDMQ delivers them again after the ack timeout, as any message received but not started when the
     * consumer stops.
     */
    public void stop(CamelContext context) {
        ExecutorService threads = executor;
        executor = null;
        cancel();
        if (threads != null) {
            context.getExecutorServiceManager().shutdownNow(threads);
        }
    }

    /** Drops the receives started ahead: what they bring would wait past its ack deadline, or never be processed. */
    public void cancel() {
        synchronized (ahead) {
            ahead.forEach(receive -> {
                receive.answer().cancel(true);
                // Whatever it brings is never processed: it is left for redelivery and holds no room.
                capacity.release(receive.asked());
            });
            ahead.clear();
        }
    }

    /** How many receives were started ahead, while a poller processed the answer of the one before. */
    public long startedAhead() {
        return startedAhead.sum();
    }

    /**
     * One ReceiveMessage call: the oldest of those started ahead, or one the poller makes itself, on its own thread,
     * when none is. It asks for no more than acknowledgements can settle in time; with no room, it waits until they
     * make some.
     *
     * @param mayWait whether the poller may still wait for room
     * @return the receive, or null when the consumer stops while the poller waited for room
     */
    public Receive next(BooleanSupplier mayWait) {
        synchronized (ahead) {
            Receive started = ahead.pollFirst();
            if (started != null) {
                return started;
            }
        }
        int asked;
        try {
            asked = capacity.take(sizing.nextReceiveSize(), () -> mayWait.getAsBoolean() && !deadlines.isStopping());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (asked == 0) {
            return null;
        }
        // Taken before the call: the server's ack timeout starts no earlier than the call, so no later.
        long startedAt = System.nanoTime();
        try {
            TdmqHttpGateway.ReceivedBatch batch = receive(asked);
            return new Receive(asked, startedAt, CompletableFuture.completedFuture(batch), System.nanoTime());
        } catch (RuntimeException | Error e) {
            // Handed to the poll like any failure, which gives the room back.
            return new Receive(asked, startedAt, CompletableFuture.failedFuture(e), System.nanoTime());
        }
    }

    /**
     * The answer of a receive, with the room it took for messages it did not bring given back; null when the consumer
     * stops or suspends meanwhile. A failure gives back all of its room, is noted for the health check (why, since
     * when, how many in a row) and thrown for the scheduler's error handling; an answer too large for the service
     * makes the next receives ask for less.
     */
    public TdmqHttpGateway.ReceivedBatch answerOf(Receive receive) throws InterruptedException {
        TdmqHttpGateway.ReceivedBatch batch;
        try {
            batch = receive.await();
        } catch (TdmqHttpException e) {
            capacity.release(receive.asked());
            if (TdmqHttpErrorCodes.RESPONSE_SIZE_LIMIT_EXCEEDED.equals(e.getErrorCode())) {
                sizing.refusedAsTooLarge(receive.asked());
            }
            metrics.pollFailed(e);
            throw e;
        } catch (CancellationException | InterruptedException stopping) {
            capacity.release(receive.asked());
            if (stopping instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        } catch (RuntimeException | Error unexpected) {
            capacity.release(receive.asked());
            throw unexpected;
        }
        // Each message it brought gives its room back when it is settled.
        capacity.release(receive.asked() - batch.messages().size());
        metrics.pollSucceeded();
        return batch;
    }

    /** Starts receives in the background until as many are in flight ahead as the pollers need. */
    public void startAhead() {
        ExecutorService threads = executor;
        if (threads == null || deadlines.isStopping()) {
            return;
        }
        int wanted = sizing.receivesInFlightTarget();
        synchronized (ahead) {
            while (ahead.size() < wanted) {
                int asked = capacity.tryTake(sizing.nextReceiveSize());
                if (asked == 0) {
                    // Acknowledgements must make room first: the poller's next receive waits for it.
                    return;
                }
                long startedAt = System.nanoTime();
                long[] finishedAt = new long[1];
                Future<TdmqHttpGateway.ReceivedBatch> answer;
                try {
                    answer = threads.submit(() -> {
                        try {
                            return receive(asked);
                        } finally {
                            finishedAt[0] = System.nanoTime();
                        }
                    });
                } catch (RejectedExecutionException full) {
                    // Every receive thread is busy, or the consumer stops: the next poll receives by itself.
                    capacity.release(asked);
                    return;
                }
                ahead.addLast(new Receive(asked, startedAt, answer, finishedAt));
                startedAhead.increment();
            }
        }
    }

    private TdmqHttpGateway.ReceivedBatch receive(int asked) {
        return metrics.call(TdmqHttpActions.RECEIVE_MESSAGE,
                () -> gateway.get().receive(configuration.getTopic(), asked, sizing.receiveBytes()));
    }

    /**
     * A ReceiveMessage call: made by a poller itself (its answer is already there) or started ahead in the background.
     *
     * @param startedAt  when the call started (System.nanoTime): the messages' ack deadlines follow from it
     * @param finishedAt when the call ended (System.nanoTime), written by the thread that made it
     */
    public record Receive(int asked, long startedAt, Future<TdmqHttpGateway.ReceivedBatch> answer,
                          long[] finishedAt) {

        Receive(int asked, long startedAt, Future<TdmqHttpGateway.ReceivedBatch> answer, long finishedAt) {
            this(asked, startedAt, answer, new long[] { finishedAt });
        }

        /** The answer; the call's failure as it was thrown. */
        public TdmqHttpGateway.ReceivedBatch await() throws InterruptedException {
            try {
                return answer.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** How long the call took, from its start to its answer. */
        public long took() {
            return finishedAt[0] - startedAt;
        }
    }
}
