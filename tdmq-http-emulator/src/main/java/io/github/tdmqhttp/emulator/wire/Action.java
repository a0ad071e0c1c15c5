package io.github.tdmqhttp.emulator.wire;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The four TDMQ HTTP actions the emulator serves, with the request fields each takes. */
enum Action {
    SEND_MESSAGES("SendMessages",
            Set.of("Topic", "Payload", "StringToken", "ProducerName", "SendTimeout", "MaxPendingMessages")),
    SEND_BATCH_MESSAGES("SendBatchMessages",
            Set.of("Topic", "Payload", "StringToken", "ProducerName", "SendTimeout", "MaxPendingMessages",
                    "BatchingMaxMessages", "BatchingMaxPublishDelay", "BatchingMaxBytes")),
    RECEIVE_MESSAGE("ReceiveMessage",
            Set.of("Topic", "SubscriptionName", "ReceiverQueueSize", "SubInitialPosition", "MaxNumMessages",
                    "MaxNumBytes", "Timeout")),
    ACKNOWLEDGE_MESSAGE("AcknowledgeMessage", Set.of("MessageId", "AckTopic", "SubName"));

    private static final Map<String, Action> BY_NAME =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(Action::actionName, Function.identity()));

    private final String actionName;
    private final Set<String> fields;

    Action(String actionName, Set<String> fields) {
        this.actionName = actionName;
        this.fields = fields;
    }

    /** The name as X-TC-Action carries it. */
    String actionName() {
        return actionName;
    }

    Set<String> fields() {
        return fields;
    }

    /** @return null for any other name */
    static Action byName(String name) {
        return name == null ? null : BY_NAME.get(name);
    }

    static String names() {
        return Stream.of(values()).map(Action::actionName).collect(Collectors.joining(", "));
    }
}
