package io.github.tdmqhttp.benchmarks;

/**
 * Something that moves messages while it runs: a raw SDK loop, a Camel producer or consumer. The harness reads its
 * counters at the start and end of each measuring round.
 */
interface Load extends AutoCloseable {

    /** Starts moving messages, in the background. */
    void start() throws Exception;

    /** Messages moved so far: sent, or received and acknowledged. */
    long done();

    /** Failures that reached the caller (the route, or the loop) so far. */
    long errors();

    /** Stops, and waits for the load's threads. */
    @Override
    void close() throws Exception;
}
