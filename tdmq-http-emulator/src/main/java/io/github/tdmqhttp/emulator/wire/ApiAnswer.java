package io.github.tdmqhttp.emulator.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an action answers, before it is written as JSON: either the fields of a success, or an error code and message.
 * Faults work on this form (an ErrorMsg fault replaces one field, a truncation cuts the written text).
 */
sealed interface ApiAnswer {

    /** The fields of {@code Response}, in order, without RequestId. */
    record Success(Map<String, String> fields) implements ApiAnswer {

        Success withErrorMsg(String errorMsg) {
            Map<String, String> replaced = new LinkedHashMap<>(fields);
            replaced.put("ErrorMsg", errorMsg);
            return new Success(replaced);
        }
    }

    /** {@code Response.Error}. */
    record Error(String code, String message) implements ApiAnswer {
    }

    static Error error(ApiException exception) {
        return new Error(exception.code(), exception.getMessage());
    }
}
