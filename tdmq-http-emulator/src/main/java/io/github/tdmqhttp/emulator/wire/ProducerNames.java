package io.github.tdmqhttp.emulator.wire;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ProducerNames in use. The API reference says a ProducerName "must be globally unique" and that a name set by
 * hand may make creating the producer fail: the service creates a Pulsar producer per call, and Pulsar refuses a
 * second producer under a name that is connected. So a name is held by a send from its arrival until its answer
 * leaves (the answer's latency included), and another send under the same name meanwhile answers
 * {@code FailedOperation.CreateProducerError}. Sends one after another under one name all pass.
 */
final class ProducerNames {

    /** Held by a call still being processed, whose answer's time is not known yet. */
    private static final long IN_CALL = Long.MAX_VALUE;

    /** Name to the nanoTime its hold ends, or {@link #IN_CALL}. */
    private final ConcurrentHashMap<String, Long> heldUntil = new ConcurrentHashMap<>();

    /** @throws ApiException FailedOperation.CreateProducerError when a call in flight holds the name */
    void hold(String name) throws ApiException {
        long now = System.nanoTime();
        boolean[] busy = new boolean[1];
        heldUntil.compute(name, (held, until) -> {
            busy[0] = until != null && (until == IN_CALL || until - now > 0);
            return busy[0] ? until : IN_CALL;
        });
        if (busy[0]) {
            throw new ApiException(ErrorCodes.CREATE_PRODUCER_ERROR, "Failed to create producer: a producer named `"
                    + name + "` is already connected (another send under this ProducerName is in flight)."
                    + " ProducerName must be unique; leave it out, or send under it one call at a time.");
        }
    }

    /** The call is processed; its answer leaves after {@code answerDelayMillis}, and the name is free then. */
    void release(String name, long answerDelayMillis) {
        if (answerDelayMillis <= 0) {
            heldUntil.remove(name);
        } else {
            heldUntil.put(name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answerDelayMillis));
        }
    }
}
