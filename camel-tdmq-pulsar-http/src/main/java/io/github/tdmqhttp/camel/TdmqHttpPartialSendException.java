package io.github.tdmqhttp.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Some elements of a collection body were sent and some were not. It tells which: {@link #getSentMessageIds()} maps the
 * index of every element that was sent to its message id, {@link #getFailures()} the index of every element that was
 * not to the reason. Sending the whole body again in a new exchange would duplicate the sent elements; send the failed
 * ones instead. (A Camel redelivery of the same exchange sends only the failed ones by itself.)
 */
public class TdmqHttpPartialSendException extends TdmqHttpException {

    private static final long serialVersionUID = 1L;
    private static final int NAMED_FAILURES = 5;

    private final SortedMap<Integer, String> sentMessageIds;
    private final SortedMap<Integer, TdmqHttpException> failures;

    /**
     * Internal: the producer makes these; applications read them.
     *
     * @param sentMessageIds the canonical ids of the elements sent, by their index in the collection
     * @param failures       why each other element was not sent, by its index
     */
    public TdmqHttpPartialSendException(String action, String topic, Map<Integer, String> sentMessageIds,
                                        Map<Integer, TdmqHttpException> failures) {
        super(action, topic, firstFailure(failures).getErrorCode(), firstFailure(failures).getRequestId(),
              failures.values().stream().allMatch(TdmqHttpException::isRetryable),
              failures.values().stream().allMatch(TdmqHttpException::isSafeToRetry),
              summary(sentMessageIds, failures), firstFailure(failures));
        this.sentMessageIds = Collections.unmodifiableSortedMap(new TreeMap<>(sentMessageIds));
        this.failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
    }

    /** Index in the collection body of each element that was sent, to its message id. */
    public SortedMap<Integer, String> getSentMessageIds() {
        return sentMessageIds;
    }

    /** Index in the collection body of each element that was not sent, to why. */
    public SortedMap<Integer, TdmqHttpException> getFailures() {
        return failures;
    }

    /** The indexes of the elements that were not sent, in order. */
    public List<Integer> getFailedIndexes() {
        return new ArrayList<>(failures.keySet());
    }

    private static TdmqHttpException firstFailure(Map<Integer, TdmqHttpException> failures) {
        return new TreeMap<>(failures).firstEntry().getValue();
    }

    private static String summary(Map<Integer, String> sent, Map<Integer, TdmqHttpException> failures) {
        String named = new TreeMap<>(failures).entrySet().stream()
                .limit(NAMED_FAILURES)
                .map(failure -> "#" + failure.getKey() + " (" + failure.getValue().getErrorCode() + ")")
                .collect(Collectors.joining(", "));
        String more = failures.size() > NAMED_FAILURES ? " and " + (failures.size() - NAMED_FAILURES) + " more" : "";
        return failures.size() + " of " + (sent.size() + failures.size()) + " elements of the collection body were not"
               + " sent: " + named + more + "; the other " + sent.size() + " were sent. getFailures() and"
               + " getSentMessageIds() of this exception say which, so that only the failed ones need sending again";
    }
}
