package io.github.tdmqhttp.camel;

/**
 * How message bodies travel in TDMQ's Payload field, which is a JSON string with no encoding flag. Producer and consumer
 * of a topic must agree.
 */
public enum PayloadEncoding {
    /** The body is UTF-8 text, sent as is; bytes that are not valid UTF-8 are refused. The consumer receives a String. */
    TEXT,
    /** The body's bytes are sent base64-encoded; the consumer decodes them and receives a byte[]. Safe for any data. */
    BASE64
}
