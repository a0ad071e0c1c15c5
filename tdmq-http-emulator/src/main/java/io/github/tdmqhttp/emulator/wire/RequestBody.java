package io.github.tdmqhttp.emulator.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * The JSON body of an API request: every field is a top-level key; the SDK sends integers as JSON numbers (its
 * {@code Long} fields) and everything else as strings, and leaves unset fields out.
 */
final class RequestBody {

    private final JsonNode root;

    private RequestBody(JsonNode root) {
        this.root = root;
    }

    /**
     * Reads the body and refuses any field not in {@code allowedFields}.
     *
     * @throws ApiException {@code InvalidParameter} for a body that is not a JSON object, {@code UnknownParameter}
     *                      naming the first unknown field
     */
    static RequestBody parse(ObjectMapper json, byte[] body, Set<String> allowedFields) throws ApiException {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException notJson) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER,
                    "The request body is not valid JSON: " + notJson.getOriginalMessage());
        } catch (IOException unreadable) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER, "The request body cannot be read: " + unreadable);
        }
        if (root == null || !root.isObject()) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER,
                    "The request body must be a JSON object whose keys are the action's parameters.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw new ApiException(ErrorCodes.UNKNOWN_PARAMETER, "The parameter `" + name
                        + "` is not recognized. This action takes " + String.join(", ", allowedFields.stream()
                        .sorted().toList()) + ".");
            }
        }
        return new RequestBody(root);
    }

    String requiredString(String name) throws ApiException {
        String value = optionalString(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    /** @return null when absent or JSON null */
    String optionalString(String name) throws ApiException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    /** @return null when absent or JSON null */
    Long optionalLong(String name) throws ApiException {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(name, "an integer", node);
        }
        return node.longValue();
    }

    /** @return null when absent; otherwise the value, refused when negative */
    Long optionalNonNegativeLong(String name) throws ApiException {
        Long value = optionalLong(name);
        if (value != null && value < 0) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER_VALUE,
                    "The parameter `" + name + "` must not be negative, was " + value + ".");
        }
        return value;
    }

    static ApiException missing(String name) {
        return new ApiException(ErrorCodes.MISSING_PARAMETER,
                "The request is missing a required parameter `" + name + "`.");
    }

    /**
     * A value of the wrong JSON type. Tencent's common error codes give {@code InvalidParameter} for a parameter of
     * the wrong format or type, and keep {@code InvalidParameterValue} for a value out of range.
     */
    private static ApiException wrongType(String name, String expected, JsonNode node) {
        return new ApiException(ErrorCodes.INVALID_PARAMETER, "The value type of parameter `" + name
                + "` is not valid: expected " + expected + ", got " + node.getNodeType().name().toLowerCase() + ".");
    }
}
