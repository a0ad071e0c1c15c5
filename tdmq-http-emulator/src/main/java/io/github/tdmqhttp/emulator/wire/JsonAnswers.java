package io.github.tdmqhttp.emulator.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Writes answers in the API 3.0 shape: {@code {"Response":{...fields...,"RequestId":"<uuid>"}}}. */
final class JsonAnswers {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Writes the answer. Hand-written rather than through a JsonGenerator: the answers are small and flat. */
    byte[] write(ApiAnswer answer, String requestId) {
        StringBuilder json = new StringBuilder(160);
        json.append("{\"Response\":{");
        if (answer instanceof ApiAnswer.Success success) {
            for (Map.Entry<String, String> field : success.fields().entrySet()) {
                appendString(json, field.getKey()).append(':');
                appendString(json, field.getValue()).append(',');
            }
        } else if (answer instanceof ApiAnswer.Error error) {
            json.append("\"Error\":{\"Code\":");
            appendString(json, error.code()).append(",\"Message\":");
            appendString(json, error.message()).append("},");
        }
        json.append("\"RequestId\":");
        appendString(json, requestId).append("}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code text} as a JSON string: quotes, backslashes and control characters escaped, nothing else. */
    static StringBuilder appendString(StringBuilder json, String text) {
        json.append('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    /**
     * A random (version 4) UUID without {@link UUID#randomUUID()}'s shared SecureRandom, which serialises
     * busy threads; request ids need to be unique, not unpredictable.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
