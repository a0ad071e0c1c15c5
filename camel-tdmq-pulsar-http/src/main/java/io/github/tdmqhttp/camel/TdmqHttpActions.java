package io.github.tdmqhttp.camel;

/**
 * The four actions of TDMQ's HTTP message API the component calls, by the names Tencent Cloud API 3.0 gives them: what
 * {@link TdmqHttpException#getAction()} answers, and what the metrics, the rate limiters and the log lines name.
 */
public final class TdmqHttpActions {

    public static final String SEND_MESSAGES = "SendMessages";
    public static final String SEND_BATCH_MESSAGES = "SendBatchMessages";
    public static final String RECEIVE_MESSAGE = "ReceiveMessage";
    public static final String ACKNOWLEDGE_MESSAGE = "AcknowledgeMessage";

    private TdmqHttpActions() {
    }
}
