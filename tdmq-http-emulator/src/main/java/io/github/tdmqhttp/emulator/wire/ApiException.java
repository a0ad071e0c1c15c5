package io.github.tdmqhttp.emulator.wire;

/** A request answered with the API error shape: {@code {"Response":{"Error":{"Code":..,"Message":..},..}}}. */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    ApiException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
