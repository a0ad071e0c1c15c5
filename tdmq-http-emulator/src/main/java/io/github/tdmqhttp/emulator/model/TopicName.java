package io.github.tdmqhttp.emulator.model;

import java.util.Optional;

/**
 * The rule for topic names, as Pulsar reads them and TDMQ's API reference states it: the full path
 * {@code tenant/namespace/topic}, where the tenant is the cluster id, also written with Pulsar's {@code persistent://}
 * prefix (the console shows topics that way), or a short name alone, which stands for {@code public/default/<name>}
 * ("If it is not specified, public/default will be used by default", SendMessages' Topic parameter).
 *
 * <p>Every form is reduced to one canonical name, {@code tenant/namespace/topic}, so that a topic sent to in one
 * form is the same topic received from in another.
 */
public final class TopicName {

    /** How a topic name must look, for error messages. */
    public static final String EXPECTED_FORM = "tenant/namespace/topic (e.g. pulsar-xxxx/sdk_http/topic1), optionally"
            + " with the prefix persistent://, or a short name for public/default/<name>";

    /** The prefix of Pulsar's persistent topics; the HTTP API serves no other kind. */
    public static final String PERSISTENT = "persistent://";

    private static final String DEFAULT_NAMESPACE = "public/default/";

    private TopicName() {
    }

    /**
     * The canonical {@code tenant/namespace/topic} of {@code topic}.
     *
     * @return empty when {@code topic} is in none of the accepted forms (two segments, four, an empty segment,
     * blanks, {@code non-persistent://})
     */
    public static Optional<String> canonical(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String path = topic.startsWith(PERSISTENT) ? topic.substring(PERSISTENT.length()) : topic;
        if (path.contains("://")) {
            return Optional.empty();
        }
        String[] segments = path.split("/", -1);
        for (String segment : segments) {
            if (segment.isBlank() || !segment.strip().equals(segment)) {
                return Optional.empty();
            }
        }
        return switch (segments.length) {
            // A short name is Pulsar's shorthand for the default namespace; with the prefix it is not.
            case 1 -> path.equals(topic) ? Optional.of(DEFAULT_NAMESPACE + path) : Optional.empty();
            case 3 -> Optional.of(path);
            default -> Optional.empty();
        };
    }

    /** Whether {@code topic} is in one of the accepted forms. */
    public static boolean isValid(String topic) {
        return canonical(topic).isPresent();
    }

    /** The canonical name, or a {@link BrokerException.Reason#INVALID_TOPIC_NAME} refusal. */
    static String check(String topic) {
        return canonical(topic).orElseThrow(() -> new BrokerException(BrokerException.Reason.INVALID_TOPIC_NAME,
                "The topic `" + topic + "` is not of the form " + EXPECTED_FORM + "."));
    }
}
