package io.github.tdmqhttp.camel.client;

import io.github.tdmqhttp.camel.PayloadEncoding;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.NoTypeConversionAvailableException;

/**
 * Turns exchange bodies into the Payload string of a send, and payloads back into bodies. TDMQ's Payload is a JSON
 * string with no encoding flag, so TEXT means UTF-8 text and BASE64 carries bytes. Every refusal happens here, before
 * any call, with a message that says what to change.
 */
public final class PayloadCodec {

    /** TDMQ refuses messages over 1 MB (FailedOperation.MaxMessageSizeError); the UTF-8 payload is what counts. */
    static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    private PayloadCodec() {
    }

    /**
     * The payload to send for a body.
     *
     * @throws TdmqHttpException with {@link TdmqHttpErrorCodes#INVALID_PAYLOAD} when the body cannot be sent
     */
    public static String encode(Object body, PayloadEncoding encoding, Exchange exchange, String action, String topic) {
        String payload;
        int size;
        if (encoding == PayloadEncoding.BASE64) {
            payload = Base64.getEncoder().encodeToString(bytes(body, exchange, action, topic));
            size = payload.length();
        } else {
            payload = text(body, exchange, action, topic);
            size = utf8Length(payload);
        }
        checkSize(size, encoding == PayloadEncoding.BASE64 ? " after base64 encoding" : "", action, topic);
        return payload;
    }

    /**
     * The body as UTF-8 text, for payloadEncoding=TEXT.
     *
     * @throws TdmqHttpException with {@link TdmqHttpErrorCodes#INVALID_PAYLOAD} when the body has no UTF-8 form
     */
    public static String text(Object body, Exchange exchange, String action, String topic) {
        requireBody(body, action, topic);
        if (body instanceof CharSequence text) {
            String payload = text.toString();
            int size = utf8Length(payload);
            if (size < 0) {
                throw refused(action, topic, "the body is text with a lone UTF-16 surrogate at index " + (-size - 1)
                                             + ", which has no UTF-8 form. Fix the text, or send its bytes with"
                                             + " payloadEncoding=BASE64");
            }
            return payload;
        }
        return strictUtf8(bytesOf(body, exchange, action, topic), body, action, topic);
    }

    /**
     * The body's bytes, for payloadEncoding=BASE64.
     *
     * @throws TdmqHttpException with {@link TdmqHttpErrorCodes#INVALID_PAYLOAD} when the body has no byte form
     */
    public static byte[] bytes(Object body, Exchange exchange, String action, String topic) {
        requireBody(body, action, topic);
        if (body instanceof CharSequence text && utf8Length(text.toString()) < 0) {
            // String.getBytes(UTF_8) would send a '?' in its place, silently.
            throw refused(action, topic, "the body is text with a lone UTF-16 surrogate at index "
                                         + (-utf8Length(text.toString()) - 1) + ", which has no UTF-8 form and"
                                         + " would be sent as '?'. Fix the text, or send the bytes you mean as a"
                                         + " byte[] body");
        }
        return bytesOf(body, exchange, action, topic);
    }

    /**
     * Refuses a payload over TDMQ's limit.
     *
     * @param size the payload's UTF-8 size
     * @param form how the payload was made, for the message (" after base64 encoding", " as a CloudEvent")
     */
    public static void checkSize(int size, String form, String action, String topic) {
        if (size > MAX_PAYLOAD_BYTES) {
            throw refused(action, topic, "the payload is " + size + " bytes" + form + ", over TDMQ's limit of "
                                         + MAX_PAYLOAD_BYTES + " bytes (1 MB) per message. Split the message,"
                                         + " compress it, or send a reference to data stored elsewhere");
        }
    }

    private static void requireBody(Object body, String action, String topic) {
        if (body == null) {
            throw refused(action, topic, "the message body is null, and TDMQ has no empty message. Set a body before"
                                         + " this endpoint, or filter out exchanges without one");
        }
    }

    /**
     * The body of a received payload: the text itself, or the decoded bytes.
     *
     * @throws TdmqHttpException when a BASE64 consumer receives a payload that is not base64
     */
    public static Object decode(String payload, PayloadEncoding encoding, String topic, String messageId) {
        if (encoding == PayloadEncoding.TEXT) {
            return payload;
        }
        try {
            return Base64.getDecoder().decode(payload);
        } catch (IllegalArgumentException e) {
            throw TdmqHttpException.refused("ReceiveMessage", topic, TdmqHttpErrorCodes.INVALID_PAYLOAD,
                    "message " + messageId + " is not base64 (" + e.getMessage() + "), but this consumer has"
                    + " payloadEncoding=BASE64. Its producer must use payloadEncoding=BASE64 too, or this consumer"
                    + " TEXT");
        }
    }

    private static String strictUtf8(byte[] bytes, Object body, String action, String topic) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw refused(action, topic, "the body (" + body.getClass().getSimpleName() + ", " + bytes.length
                                         + " bytes) is not valid UTF-8, and payloadEncoding=TEXT sends text only."
                                         + " Set payloadEncoding=BASE64 on this producer and on the consumers of the"
                                         + " topic to send binary data");
        }
    }

    private static byte[] bytesOf(Object body, Exchange exchange, String action, String topic) {
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return exchange.getContext().getTypeConverter().mandatoryConvertTo(byte[].class, exchange, body);
        } catch (NoTypeConversionAvailableException e) {
            throw refused(action, topic, "the body is a " + body.getClass().getName() + ", which Camel cannot turn"
                                         + " into text or bytes. Convert it first, for example with marshal().json()"
                                         + " or convertBodyTo(String.class)");
        }
    }

    /** The UTF-8 size of the text, or -(index + 1) of a lone surrogate, which has no UTF-8 form. */
    private static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (!Character.isSurrogate(c)) {
                length += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                       && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                return -(i + 1);
            }
        }
        return length;
    }

    private static TdmqHttpException refused(String action, String topic, String detail) {
        return TdmqHttpException.refused(action, topic, TdmqHttpErrorCodes.INVALID_PAYLOAD, detail);
    }
}
