package io.github.tdmqhttp.camel.doctor;

import java.time.Duration;
import java.util.Objects;

/**
 * What a doctor run may do beyond the configuration it checks. By default it checks the topic and the subscription of
 * the configuration with receives only, sends nothing and acknowledges nothing.
 *
 * @param topic              the topic to check; null for the configuration's
 * @param subscription       the subscription to check; null for the configuration's (none: no receive-side check)
 * @param send               whether it may send one message to {@code topic} (the round trip, the role key and
 *                           producerName checks); the message is acknowledged when it comes back on the subscription
 * @param sending            whether the application sends: checks the send action's permission
 * @param measureAckTimeout  how long to wait for the doctor's own message to be delivered again, to measure the
 *                           subscription's ack timeout; null or zero not to measure (needs {@code send} and a
 *                           subscription)
 * @param patience           how long to look for the doctor's own message on the subscription before giving up
 */
public record DoctorOptions(String topic, String subscription, boolean send, boolean sending,
                            Duration measureAckTimeout, Duration patience) {

    /** Receive-side checks only; the send action's permission is probed without sending. */
    public static final DoctorOptions DEFAULTS = new DoctorOptions(null, null, false, true, null,
            Duration.ofSeconds(30));

    /** Checks the durations. */
    public DoctorOptions {
        Objects.requireNonNull(patience, "patience");
        if (patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("patience must be positive, was " + patience);
        }
        if (measureAckTimeout != null && measureAckTimeout.isNegative()) {
            throw new IllegalArgumentException("measureAckTimeout must not be negative, was " + measureAckTimeout);
        }
    }

    /** These options with the topic to check. */
    public DoctorOptions withTopic(String topic) {
        return new DoctorOptions(topic, subscription, send, sending, measureAckTimeout, patience);
    }

    /** These options with the subscription to check. */
    public DoctorOptions withSubscription(String subscription) {
        return new DoctorOptions(topic, subscription, send, sending, measureAckTimeout, patience);
    }

    /** These options allowing (or not) one message to be sent to the topic. */
    public DoctorOptions withSend(boolean send) {
        return new DoctorOptions(topic, subscription, send, sending, measureAckTimeout, patience);
    }

    /** These options saying whether the application sends (false: no send action is checked). */
    public DoctorOptions withSending(boolean sending) {
        return new DoctorOptions(topic, subscription, send, sending, measureAckTimeout, patience);
    }

    /** These options measuring the ack timeout, waiting up to {@code wait} for the redelivery. */
    public DoctorOptions withMeasureAckTimeout(Duration wait) {
        return new DoctorOptions(topic, subscription, send, sending, wait, patience);
    }

    /** These options looking for the doctor's own message for up to {@code patience}. */
    public DoctorOptions withPatience(Duration patience) {
        return new DoctorOptions(topic, subscription, send, sending, measureAckTimeout, patience);
    }

    boolean measuresAckTimeout() {
        return measureAckTimeout != null && !measureAckTimeout.isZero();
    }
}
