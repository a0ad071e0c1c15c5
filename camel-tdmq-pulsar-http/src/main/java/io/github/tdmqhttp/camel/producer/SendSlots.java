package io.github.tdmqhttp.camel.producer;

import java.util.function.IntSupplier;

/**
 * The calls of collection bodies one producer has in flight, for all its exchanges together: never more than
 * maxSendsInFlight, and never more than {@code needed} says at the moment (the producer asks for about twice the rate
 * of its limiter times the round trip: what keeps the rate with room to spare).
 * <p>
 * More would not send faster, since the limiter spaces the calls anyway, and costs connections: when calls slow down
 * for a moment (a pause of the server, new TLS connections on a busy machine) every slot fills, each call on a
 * connection of its own, and once they answer together the SDK's pool keeps 5 idle connections and closes the rest,
 * to open them again, with a TLS handshake each over HTTPS. In the benchmark over HTTPS at 20 ms, a producer that
 * used all 128 slots opened about 130 new connections per 1,000 calls; with these limits, under 50.
 */
public final class SendSlots {

    private final int max;
    private final IntSupplier needed;
    private int inFlight;

    /**
     * @param max    the most calls at once, whatever {@code needed} says
     * @param needed the calls in flight the producer needs now, read at each acquire
     */
    public SendSlots(int max, IntSupplier needed) {
        this.max = max;
        this.needed = needed;
    }

    /** Waits until fewer calls than the limit are in flight, and takes a slot. */
    public synchronized void acquire() throws InterruptedException {
        while (inFlight >= limit()) {
            wait();
        }
        inFlight++;
    }

    /** Gives a slot back. */
    public synchronized void release() {
        inFlight--;
        notifyAll();
    }

    /** The calls in flight now. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** The most calls in flight allowed now: at least one. */
    public int limit() {
        return Math.max(1, Math.min(max, needed.getAsInt()));
    }
}
