package io.github.tdmqhttp.camel.client;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns bodies into payloads and payloads back into messages, as messageFormat and payloadEncoding say; {@link
 * MessageCodecs} makes the one an endpoint needs. Internal.
 */
public interface MessageCodec {

    /**
     * The payload of a body.
     *
     * @param element the body's index in a collection body, or -1 for a single body
     * @throws io.github.tdmqhttp.camel.TdmqHttpException with INVALID_PAYLOAD when the body cannot be sent
     */
    String encode(Object body, Exchange exchange, int element, String action, String topic);

    /**
     * Sets a received payload as the message's body (and, from an envelope, its headers).
     *
     * @throws io.github.tdmqhttp.camel.TdmqHttpException with INVALID_PAYLOAD when the payload cannot be decoded
     */
    void decode(String payload, Message message, String messageId);

    /** The exchange's send went through (every element of a collection body): its next send is another message. */
    default void sent(Exchange exchange) {
    }
}
