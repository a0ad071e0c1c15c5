package io.github.tdmqhttp.emulator.wire;

/**
 * Counters of the API requests of one action.
 *
 * @param action         SendMessages, SendBatchMessages, ReceiveMessage or AcknowledgeMessage
 * @param requests       requests that named this action, whatever their answer
 * @param throttled      requests answered {@code RequestLimitExceeded} by the rate limit
 * @param faultsInjected answers replaced by a fault rule
 */
public record RequestStats(String action, long requests, long throttled, long faultsInjected) {
}
