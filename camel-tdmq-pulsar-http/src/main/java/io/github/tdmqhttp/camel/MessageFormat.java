package io.github.tdmqhttp.camel;

/**
 * What a message's payload holds. TDMQ's HTTP API carries a payload and nothing else (no properties, key or content
 * type), so headers cross a topic only inside the payload. Producer and consumers of a topic should agree; a consumer
 * set to CLOUDEVENTS still delivers a payload that is not a CloudEvent, as it is.
 */
public enum MessageFormat {
    /** The body, as payloadEncoding turns it into text; no headers cross the topic. */
    RAW,
    /**
     * A CloudEvent in JSON structured mode (CloudEvents 1.0): the body as its data, the Content-Type header as its
     * datacontenttype, an idempotency key as its id, and the headers the headerFilterStrategy lets through (traceparent
     * among them) as extension attributes. Needs io.cloudevents:cloudevents-json-jackson on the classpath.
     */
    CLOUDEVENTS
}
