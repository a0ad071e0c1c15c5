package io.github.tdmqhttp.camel.client;

import io.github.tdmqhttp.camel.PayloadEncoding;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpConstants;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.TdmqHttpException;
import io.github.tdmqhttp.camel.TdmqHttpHeaderFilterStrategy;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.jackson.JsonFormatOptions;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * messageFormat=CLOUDEVENTS: a payload is a CloudEvent 1.0 in JSON structured mode, written and read by the CloudEvents
 * SDK. The body is its data ({@code data}, a JSON value when the content type is JSON and a string otherwise, or
 * {@code data_base64} with payloadEncoding=BASE64), the Content-Type header its datacontenttype, the idempotency key
 * its id, and the headers the strategy lets through its extension attributes. Internal.
 */
final class CloudEventCodec implements MessageCodec {

    private static final Logger LOG = LoggerFactory.getLogger(CloudEventCodec.class);
    /** The type of a CloudEvent whose route set none. */
    static final String DEFAULT_TYPE = "io.github.tdmqhttp.message";
    /** The exchange property that keeps an exchange's key and time, so that every try sends the same payload. */
    static final String STAMP_PROPERTY = "CamelTdmqHttpEnvelopeStamp";
    /** Text data is written as a JSON string (or JSON value), binary data as data_base64. */
    private static final JsonFormat TEXT_DATA = new JsonFormat(JsonFormatOptions.builder()
            .forceStringSerialization(true).build());
    private static final JsonFormat BINARY_DATA = new JsonFormat(JsonFormatOptions.builder()
            .forceDataBase64Serialization(true).build());
    private static final JsonFactory JSON = new JsonFactory();
    /** CloudEvents' rule for attribute names: lower-case ASCII letters and digits. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]+");
    /** The attributes of CloudEvents 1.0 itself, which no header may set. */
    private static final Set<String> RESERVED = Set.of("specversion", "id", "source", "type", "datacontenttype",
            "dataschema", "subject", "time", "data", "data_base64");

    private final TdmqHttpConfiguration configuration;
    private final HeaderFilterStrategy headers;
    /** Header names already warned about, so that a route that always sets them warns once. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    CloudEventCodec(TdmqHttpConfiguration configuration) {
        this.configuration = configuration;
        this.headers = configuration.getHeaderFilterStrategy() != null
                ? configuration.getHeaderFilterStrategy() : new TdmqHttpHeaderFilterStrategy();
    }

    /**
     * What an exchange's envelopes keep on every try: the time, and the key of its current send (when the route set
     * none), so that a try of the same send reuses the key; a send that went through ends it, and the next send of
     * the exchange (a second endpoint, a loop) gets a new one. It belongs to one exchange: a copy (a split's part)
     * makes its own.
     */
    private static final class Stamp {

        private final String exchangeId;
        private final OffsetDateTime time = OffsetDateTime.now(ZoneOffset.UTC);
        private String key;

        Stamp(String exchangeId) {
            this.exchangeId = exchangeId;
        }

        String key(Exchange exchange) {
            if (key == null) {
                key = exchange.getContext().getUuidGenerator().generateUuid();
            }
            return key;
        }
    }

    private static Stamp stampOf(Exchange exchange) {
        Stamp stamp = exchange.getProperty(STAMP_PROPERTY, Stamp.class);
        if (stamp == null || !stamp.exchangeId.equals(exchange.getExchangeId())) {
            stamp = new Stamp(exchange.getExchangeId());
            exchange.setProperty(STAMP_PROPERTY, stamp);
        }
        return stamp;
    }

    @Override
    public void sent(Exchange exchange) {
        Stamp stamp = exchange.getProperty(STAMP_PROPERTY, Stamp.class);
        if (stamp != null && stamp.exchangeId.equals(exchange.getExchangeId())) {
            stamp.key = null;
        }
    }

    @Override
    public String encode(Object body, Exchange exchange, int element, String action, String topic) {
        Message message = exchange.getMessage();
        Stamp stamp = stampOf(exchange);
        String key = message.getHeader(TdmqHttpConstants.IDEMPOTENCY_KEY, String.class);
        if (key == null) {
            key = stamp.key(exchange);
        }
        boolean binary = configuration.getPayloadEncoding() == PayloadEncoding.BASE64;
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null) {
            contentType = binary ? "application/octet-stream" : "text/plain; charset=utf-8";
        }
        byte[] data = binary ? PayloadCodec.bytes(body, exchange, action, topic)
                : PayloadCodec.text(body, exchange, action, topic).getBytes(StandardCharsets.UTF_8);
        if (!binary && isJson(contentType) && !isJson(data)) {
            throw TdmqHttpException.refused(action, topic, TdmqHttpErrorCodes.INVALID_PAYLOAD,
                    "the Content-Type header says " + contentType + " but the body is not JSON, and a CloudEvent"
                    + " carries JSON data as JSON. Fix the body, or set the Content-Type it has (text/plain)");
        }
        CloudEventBuilder event = CloudEventBuilder.v1()
                .withId(element < 0 ? key : key + "-" + element)
                .withSource(source(message, exchange, action, topic))
                .withType(message.getHeader(TdmqHttpConstants.EVENT_TYPE, DEFAULT_TYPE, String.class))
                .withTime(stamp.time)
                .withDataContentType(contentType)
                .withData(data);
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            addExtension(event, header.getKey(), header.getValue(), exchange);
        }
        byte[] payload = (binary ? BINARY_DATA : TEXT_DATA).serialize(event.build());
        PayloadCodec.checkSize(payload.length, " as a CloudEvent", action, topic);
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static URI source(Message message, Exchange exchange, String action, String topic) {
        String source = message.getHeader(TdmqHttpConstants.EVENT_SOURCE, String.class);
        try {
            return URI.create(source != null ? source : "camel:" + exchange.getContext().getName());
        } catch (IllegalArgumentException e) {
            if (source == null) {
                return URI.create("camel:tdmq-http");
            }
            throw TdmqHttpException.refused(action, topic, TdmqHttpErrorCodes.INVALID_PAYLOAD,
                    "the header " + TdmqHttpConstants.EVENT_SOURCE + " is not a URI reference, as a CloudEvent's"
                    + " source must be (" + e.getMessage() + ")");
        }
    }

    private void addExtension(CloudEventBuilder event, String name, Object value, Exchange exchange) {
        if (value == null || Exchange.CONTENT_TYPE.equalsIgnoreCase(name)
            || headers.applyFilterToCamelHeaders(name, value, exchange)) {
            return;
        }
        String attribute = name.toLowerCase(Locale.ROOT);
        if (!ATTRIBUTE_NAME.matcher(attribute).matches() || RESERVED.contains(attribute)) {
            warnOnce(name, "its name is not made of letters and digits only, or is one of CloudEvents' own attributes;"
                           + " rename it to cross the topic");
        } else if (value instanceof Boolean flag) {
            event.withExtension(attribute, flag);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            event.withExtension(attribute, ((Number) value).intValue());
        } else if (value instanceof CharSequence || value instanceof Number || value instanceof Character
                   || value instanceof Enum<?> || value instanceof java.util.UUID) {
            event.withExtension(attribute, value.toString());
        } else {
            warnOnce(name, "its value is a " + value.getClass().getName() + ", not text, a number or a boolean;"
                           + " convert it to text to cross the topic");
        }
    }

    private void warnOnce(String header, String why) {
        if (warned.add(header)) {
            LOG.warn("The header {} does not cross {} in the CloudEvent: {}. Or leave it out with the"
                     + " headerFilterStrategy option", header, configuration.getTopic(), why);
        }
    }

    @Override
    public void decode(String payload, Message message, String messageId) {
        CloudEvent event = parse(payload, messageId);
        if (event == null) {
            // Not an envelope: delivered as a raw message is.
            message.setBody(PayloadCodec.decode(payload, configuration.getPayloadEncoding(), configuration.getTopic(),
                    messageId));
            return;
        }
        byte[] data = event.getData() != null ? event.getData().toBytes() : new byte[0];
        String json = isJson(event.getDataContentType()) ? rawData(payload) : null;
        if (configuration.getPayloadEncoding() == PayloadEncoding.BASE64) {
            message.setBody(json != null ? json.getBytes(StandardCharsets.UTF_8) : data);
        } else {
            message.setBody(json != null ? json : strictUtf8(data, messageId));
        }
        message.setHeader(TdmqHttpConstants.IDEMPOTENCY_KEY, event.getId());
        message.setHeader(TdmqHttpConstants.EVENT_SOURCE, event.getSource().toString());
        message.setHeader(TdmqHttpConstants.EVENT_TYPE, event.getType());
        if (event.getDataContentType() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, event.getDataContentType());
        }
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            if (value != null && !headers.applyFilterToExternalHeaders(name, value, message.getExchange())) {
                message.setHeader(name, value);
            }
        }
    }

    /**
     * The text of the top-level {@code data} member as sent, when it is a JSON value: the SDK hands JSON data back
     * re-written from a tree (1.10 as 1.1, 1e2 as 100.0), which would change amounts and break a signature of the
     * body. Null when there is no such member.
     */
    private static String rawData(String payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if ("data".equals(name)) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getCharOffset();
                    return payload.substring(start, end);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The CloudEvent the payload holds, or null when it holds none. */
    private static CloudEvent parse(String payload, String messageId) {
        int first = 0;
        while (first < payload.length() && Character.isWhitespace(payload.charAt(first))) {
            first++;
        }
        if (first == payload.length() || payload.charAt(first) != '{' || !payload.contains("\"specversion\"")) {
            return null;
        }
        try {
            return TEXT_DATA.deserialize(payload.getBytes(StandardCharsets.UTF_8));
        } catch (EventDeserializationException e) {
            LOG.debug("Message {} looks like a CloudEvent but is not one ({}): delivered as it is", messageId,
                    e.getMessage());
            return null;
        }
    }

    private String strictUtf8(byte[] data, String messageId) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            throw TdmqHttpException.refused("ReceiveMessage", configuration.getTopic(),
                    TdmqHttpErrorCodes.INVALID_PAYLOAD, "the CloudEvent of message " + messageId + " carries "
                    + data.length + " bytes that are not UTF-8 text, but this consumer has payloadEncoding=TEXT. Set"
                    + " payloadEncoding=BASE64 on this consumer to receive them as a byte[]");
        }
    }

    /** Whether the SDK writes data of this type as a JSON value (it then must be one): a superset of its own test. */
    private static boolean isJson(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT).trim();
        int parameters = type.indexOf(';');
        String mediaType = (parameters < 0 ? type : type.substring(0, parameters)).trim();
        return type.startsWith("application/json") || type.startsWith("text/json") || mediaType.endsWith("+json");
    }

    /** Whether the bytes are one JSON value, with no byte order mark (which the SDK would copy into the payload). */
    private static boolean isJson(byte[] data) {
        if (data.length >= 3 && data[0] == (byte) 0xEF && data[1] == (byte) 0xBB && data[2] == (byte) 0xBF) {
            return false;
        }
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
