package io.github.tdmqhttp.emulator.model;

/** The rule for topic names: the full path {@code tenant/namespace/topic}, where the tenant is the cluster id. */
public final class TopicName {

    /** How a topic name must look, for error messages. */
    public static final String EXPECTED_FORM = "tenant/namespace/topic (e.g. pulsar-xxxx/sdk_http/topic1)";

    private TopicName() {
    }

    /** Whether {@code topic} has three non-empty segments. */
    public static boolean isValid(String topic) {
        if (topic == null) {
            return false;
        }
        String[] segments = topic.split("/", -1);
        if (segments.length != 3) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isBlank()) {
                return false;
            }
        }
        return true;
    }

    static void check(String topic) {
        if (!isValid(topic)) {
            throw new BrokerException(BrokerException.Reason.INVALID_TOPIC_NAME,
                    "The topic `" + topic + "` is not of the form " + EXPECTED_FORM + ".");
        }
    }
}
