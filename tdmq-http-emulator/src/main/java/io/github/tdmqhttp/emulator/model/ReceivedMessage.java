package io.github.tdmqhttp.emulator.model;

/**
 * A message handed to a receiver.
 *
 * @param messageId   where the message is stored
 * @param payload     the message body as it was sent
 * @param redelivered whether it was delivered before and its ack timeout expired
 */
public record ReceivedMessage(MessageId messageId, String payload, boolean redelivered) {
}
