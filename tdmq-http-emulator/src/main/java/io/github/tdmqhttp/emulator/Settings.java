package io.github.tdmqhttp.emulator;

import io.github.tdmqhttp.emulator.fault.RateLimiter;
import io.github.tdmqhttp.emulator.model.Broker;
import io.github.tdmqhttp.emulator.wire.TdmqApi;
import java.time.Duration;

/**
 * The knobs of a running emulator. Each change applies to the next request (the ack timeout also to messages
 * already in flight). Obtained from {@link TdmqEmulator#settings()}.
 */
public final class Settings {

    private final Broker broker;
    private final RateLimiter rateLimiter;
    private final TdmqApi api;

    Settings(Broker broker, RateLimiter rateLimiter, TdmqApi api) {
        this.broker = broker;
        this.rateLimiter = rateLimiter;
        this.api = api;
    }

    /** How long a delivered message may stay unacknowledged before it is delivered again. */
    public Duration ackTimeout() {
        return broker.ackTimeout();
    }

    /** Sets the ack timeout; positive. */
    public Settings ackTimeout(Duration ackTimeout) {
        broker.ackTimeout(ackTimeout);
        return this;
    }

    /** Requests per second allowed per action; 0 when off. */
    public int rateLimit() {
        return rateLimiter.limit();
    }

    /** Sets the requests per second allowed per action; 0 turns the limit off. The count starts afresh. */
    public Settings rateLimit(int requestsPerSecond) {
        rateLimiter.limit(requestsPerSecond);
        return this;
    }

    /** How long a single-message ReceiveMessage waits before answering FailedOperation.ReceiveTimeout. */
    public Duration receiveWait() {
        return api.receiveWait();
    }

    /** Sets how long a single-message ReceiveMessage waits; also the batch wait when Timeout is 0. */
    public Settings receiveWait(Duration receiveWait) {
        api.receiveWait(receiveWait);
        return this;
    }

    /** Whether TC3-HMAC-SHA256 signatures are checked. */
    public boolean verifySignatures() {
        return api.verifySignatures();
    }

    /** Turns signature checks on or off; off accepts any Authorization header, or none. */
    public Settings verifySignatures(boolean verifySignatures) {
        api.verifySignatures(verifySignatures);
        return this;
    }

    /** The limit of unacknowledged messages per subscription and partition of topics without their own; 0: none. */
    public int maxUnacknowledgedMessages() {
        return broker.maxUnacknowledgedMessages();
    }

    /** Sets the limit of unacknowledged messages per subscription and partition; 0 removes it (a leniency). */
    public Settings maxUnacknowledgedMessages(int maxUnacknowledgedMessages) {
        broker.maxUnacknowledgedMessages(maxUnacknowledgedMessages);
        return this;
    }

    /** Whether SendBatchMessages calls are aggregated into batch entries, as the service does. */
    public boolean serviceSideBatching() {
        return broker.serviceSideBatching();
    }

    /** Turns service-side batching on or off; off (a leniency) stores each SendBatchMessages call alone. */
    public Settings serviceSideBatching(boolean serviceSideBatching) {
        broker.serviceSideBatching(serviceSideBatching);
        return this;
    }

    /** The largest answer body, in bytes, before ResponseSizeLimitExceeded; 0 when off (the default). */
    public int maxResponseBytes() {
        return api.maxResponseBytes();
    }

    /** Sets the largest answer body in bytes; 0 turns the check off. */
    public Settings maxResponseBytes(int maxResponseBytes) {
        api.maxResponseBytes(maxResponseBytes);
        return this;
    }

    @Override
    public String toString() {
        return "ackTimeout=" + ackTimeout() + ", rateLimit=" + rateLimit() + ", receiveWait=" + receiveWait()
                + ", verifySignatures=" + verifySignatures() + ", maxResponseBytes=" + maxResponseBytes()
                + ", maxUnacknowledgedMessages=" + maxUnacknowledgedMessages() + ", serviceSideBatching="
                + serviceSideBatching();
    }
}
