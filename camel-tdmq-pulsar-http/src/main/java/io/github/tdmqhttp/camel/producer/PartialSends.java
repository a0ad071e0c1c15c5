package io.github.tdmqhttp.camel.producer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

/**
 * What an exchange remembers of the collection bodies it sent in part, so that Camel's redelivery of the same
 * exchange to the same endpoint sends only the elements that failed. Each memory belongs to one endpoint and one
 * list: it is keyed by a digest of the endpoint, the topic and every encoded element in order, so a send of any other
 * list (another size, other elements, another order), or of the same list to another topic or endpoint, sends every
 * element. Remembering by the list's size alone once let a list partly sent to one topic and then sent to another
 * skip there the elements that had reached the first.
 * <p>
 * Kept as an exchange property that holds digests and message ids, never a payload. The property's value is replaced,
 * never changed in place, so exchanges copied by a multicast do not share what they remember.
 */
public final class PartialSends {

    /** The exchange property: list digest to the message ids of the elements sent, by element index. */
    public static final String EXCHANGE_PROPERTY = "CamelTdmqHttpSentSoFar";
    /**
     * Lists remembered per exchange at most; beyond, the oldest is forgotten, and a redelivery of it sends every
     * element again (duplicates, never a loss).
     */
    static final int MAX_LISTS = 16;

    private PartialSends() {
    }

    /** The key of one list sent by one endpoint to one topic. */
    public static String key(String endpointKey, String topic, List<String> payloads) {
        MessageDigest digest = sha256();
        update(digest, endpointKey);
        update(digest, topic);
        for (String payload : payloads) {
            update(digest, payload);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The elements of the list sent before by this exchange, by index; empty when none were. */
    public static Map<Integer, String> sentBefore(Exchange exchange, String key) {
        Map<Integer, String> sent = remembered(exchange).get(key);
        return sent != null ? sent : Map.of();
    }

    /** Remembers which elements of the list were sent, for a redelivery of this exchange. */
    public static void remember(Exchange exchange, String key, Map<Integer, String> sent) {
        Map<String, Map<Integer, String>> lists = new LinkedHashMap<>(remembered(exchange));
        lists.remove(key);
        lists.put(key, Map.copyOf(sent));
        for (Iterator<String> oldest = lists.keySet().iterator(); lists.size() > MAX_LISTS; ) {
            oldest.next();
            oldest.remove();
        }
        exchange.setProperty(EXCHANGE_PROPERTY, Collections.unmodifiableMap(lists));
    }

    /** Forgets the list once every element of it is sent. */
    public static void forget(Exchange exchange, String key) {
        Map<String, Map<Integer, String>> lists = remembered(exchange);
        if (!lists.containsKey(key)) {
            return;
        }
        Map<String, Map<Integer, String>> left = new LinkedHashMap<>(lists);
        left.remove(key);
        if (left.isEmpty()) {
            exchange.removeProperty(EXCHANGE_PROPERTY);
        } else {
            exchange.setProperty(EXCHANGE_PROPERTY, Collections.unmodifiableMap(left));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<Integer, String>> remembered(Exchange exchange) {
        Object value = exchange.getProperty(EXCHANGE_PROPERTY);
        return value instanceof Map<?, ?> map ? (Map<String, Map<Integer, String>>) map : Map.of();
    }

    /** Each part with its length first, so that no two different lists run together into the same bytes. */
    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
