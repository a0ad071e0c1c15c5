package io.github.tdmqhttp.camel.client;

import io.github.tdmqhttp.camel.MessageFormat;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The codec of an endpoint: the body alone (RAW), or the CloudEvents envelope of {@link CloudEventCodec}, which alone
 * loads the CloudEvents SDK. Internal.
 */
public final class MessageCodecs {

    /** A class of the CloudEvents SDK's JSON format, to tell whether it is on the classpath. */
    static final String CLOUDEVENTS_CLASS = "io.cloudevents.jackson.JsonFormat";

    private MessageCodecs() {
    }

    /**
     * The codec of an endpoint's configuration.
     *
     * @throws IllegalArgumentException when messageFormat=CLOUDEVENTS and the CloudEvents SDK is missing
     */
    public static MessageCodec of(TdmqHttpConfiguration configuration, ClassLoader classLoader) {
        if (configuration.getMessageFormat() != MessageFormat.CLOUDEVENTS) {
            return new Raw(configuration);
        }
        try {
            Class.forName(CLOUDEVENTS_CLASS, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("tdmq-http:" + configuration.getTopic() + " has messageFormat=CLOUDEVENTS"
                                               + " but the CloudEvents SDK is not on the classpath: add the dependency"
                                               + " io.cloudevents:cloudevents-json-jackson (4.0.1 is tested), or use"
                                               + " messageFormat=RAW");
        }
        return new CloudEventCodec(configuration);
    }

    /** messageFormat=RAW: the payload is the body, as payloadEncoding turns it into text. */
    private record Raw(TdmqHttpConfiguration configuration) implements MessageCodec {

        @Override
        public String encode(Object body, Exchange exchange, int element, String action, String topic) {
            return PayloadCodec.encode(body, configuration.getPayloadEncoding(), exchange, action, topic);
        }

        @Override
        public void decode(String payload, Message message, String messageId) {
            message.setBody(PayloadCodec.decode(payload, configuration.getPayloadEncoding(), configuration.getTopic(),
                    messageId));
        }
    }
}
