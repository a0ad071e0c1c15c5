package io.github.tdmqhttp.emulator.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the TC3-HMAC-SHA256 signature of an API 3.0 request, as the service does, and answers the service's
 * {@code AuthFailure.*} codes.
 *
 * <p>The service name in the credential scope must be the product's, {@code tdmq}, as the service expects, or what
 * the Tencent SDK derives from its endpoint: the text before the endpoint's first dot, which is also the Host header's
 * (against {@code 127.0.0.1:8080} the SDK signs for service {@code 127}). Any other service fails the signature.
 * Derived signing keys are cached per (key, date, service): a request then costs two SHA-256 digests and one HMAC.
 */
final class SignatureVerifier {

    static final String ALGORITHM = "TC3-HMAC-SHA256";
    /** The service refuses a request whose timestamp is more than five minutes from its clock. */
    static final long MAX_SKEW_SECONDS = 300;
    /** The service name of TDMQ in a credential scope. */
    static final String SERVICE = "tdmq";

    private static final int MAX_CACHED_KEYS = 4096;
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("The JVM has no SHA-256", impossible);
        }
    });
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("The JVM has no HmacSHA256", impossible);
        }
    });

    /** Reads request headers, case-insensitively; null when absent. */
    interface Headers {
        String get(String name);
    }

    /** @param scope {@code <date>/<service>/tc3_request} as the client wrote it */
    private record Authorization(String secretId, String scope, String date, String service, String signedHeaders,
                                 String signature) {
    }

    private final CredentialStore credentials;
    private final Clock clock;
    /** Derived signing keys by SecretKey, then by credential scope. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, byte[]>> signingKeys = new ConcurrentHashMap<>();

    SignatureVerifier(CredentialStore credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** @return the credential the request was signed with */
    CredentialStore.Credential verify(String method, String path, Headers headers, byte[] body) throws ApiException {
        Authorization authorization = parse(headers.get("Authorization"));
        if (!CredentialStore.isApiKeyForm(authorization.secretId())) {
            throw new ApiException(ErrorCodes.INVALID_SECRET_ID, "The SecretId `" + authorization.secretId()
                    + "` is not the SecretId of an API key (those start with " + CredentialStore.SECRET_ID_PREFIX
                    + "). Use the SecretId shown with the key in the CAM console.");
        }
        CredentialStore.Credential credential = credentials.find(authorization.secretId());
        if (credential == null) {
            throw new ApiException(ErrorCodes.SECRET_ID_NOT_FOUND, "The SecretId `" + authorization.secretId()
                    + "` is not known to this emulator. Sign with the credentials it was started with.");
        }
        long timestamp = timestamp(headers.get("X-TC-Timestamp"));
        Instant now = clock.instant();
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (skew > MAX_SKEW_SECONDS) {
            throw new ApiException(ErrorCodes.SIGNATURE_EXPIRE, "Signature expired: X-TC-Timestamp " + timestamp
                    + " is " + skew + " s away from the server time " + now.getEpochSecond() + "; at most "
                    + MAX_SKEW_SECONDS + " s are allowed. Check the client's clock.");
        }
        String endpointService = endpointService(headers.get("Host"));
        if (!SERVICE.equals(authorization.service()) && !authorization.service().equals(endpointService)) {
            throw new ApiException(ErrorCodes.SIGNATURE_FAILURE, "The credential scope names the service `"
                    + authorization.service() + "`; TDMQ's requests are signed for `" + SERVICE + "`"
                    + (endpointService == null ? "" : " (or `" + endpointService + "`, as the SDK derives it from"
                    + " the endpoint)") + ".");
        }
        String timestampDate = LocalDate.ofEpochDay(Math.floorDiv(timestamp, 86_400L)).toString();
        if (!timestampDate.equals(authorization.date())) {
            throw new ApiException(ErrorCodes.SIGNATURE_FAILURE, "The date " + authorization.date()
                    + " in the credential scope is not the UTC date of X-TC-Timestamp (" + timestampDate + ").");
        }
        String expected = sign(credential.secretKey(), authorization, canonicalRequest(method, path, headers,
                authorization.signedHeaders(), body), timestamp);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCodes.SIGNATURE_FAILURE, "The request signature does not match: check the"
                    + " SecretKey of `" + authorization.secretId() + "` and that the body was not changed after signing.");
        }
        if (credential.isTemporary()) {
            String token = headers.get("X-TC-Token");
            if (!credential.sessionToken().equals(token)) {
                throw new ApiException(ErrorCodes.TOKEN_FAILURE, token == null
                        ? "The temporary SecretId `" + credential.secretId() + "` needs its session token in X-TC-Token."
                        : "The session token in X-TC-Token does not belong to the temporary SecretId `"
                        + credential.secretId() + "`.");
            }
            if (!now.isBefore(credential.expiresAt())) {
                throw new ApiException(ErrorCodes.TOKEN_FAILURE, "The temporary credentials `" + credential.secretId()
                        + "` expired at " + credential.expiresAt() + ". Fetch new ones.");
            }
        }
        return credential;
    }

    /**
     * The SecretId an Authorization header names, read without checking anything else, for counting the rate limit
     * when signatures are not verified; null when the header names none.
     */
    static String secretIdOf(String header) {
        if (header == null) {
            return null;
        }
        int credential = header.indexOf("Credential=");
        if (credential < 0) {
            return null;
        }
        int start = credential + "Credential=".length();
        int slash = header.indexOf('/', start);
        return slash <= start ? null : header.substring(start, slash).trim();
    }

    /** The service the SDK signs for with this Host: the text before its first dot; null without a Host. */
    static String endpointService(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String trimmed = host.trim();
        int dot = trimmed.indexOf('.');
        return dot < 0 ? trimmed : trimmed.substring(0, dot);
    }

    private static Authorization parse(String header) throws ApiException {
        if (header == null || !header.startsWith(ALGORITHM + " ")) {
            throw invalidAuthorization(header);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
            String trimmed = part.trim();
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw invalidAuthorization(header);
            }
            String value = trimmed.substring(equals + 1).trim();
            switch (trimmed.substring(0, equals).trim()) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> throw invalidAuthorization(header);
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw invalidAuthorization(header);
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 4 || scope[0].isEmpty() || scope[1].isEmpty() || scope[2].isEmpty()
                || !"tc3_request".equals(scope[3])) {
            throw invalidAuthorization(header);
        }
        String lowerHeaders = signedHeaders.toLowerCase(Locale.ROOT);
        // The service demands that content-type and host are signed; more signed headers are allowed.
        boolean signsContentType = false;
        boolean signsHost = false;
        for (String name : lowerHeaders.split(";")) {
            signsContentType |= name.equals("content-type");
            signsHost |= name.equals("host");
        }
        if (!signsContentType || !signsHost || !isLowerHex64(signature)) {
            throw invalidAuthorization(header);
        }
        return new Authorization(scope[0], credential.substring(scope[0].length() + 1), scope[1], scope[2],
                lowerHeaders, signature);
    }

    private static ApiException invalidAuthorization(String header) {
        return new ApiException(ErrorCodes.INVALID_AUTHORIZATION, "The Authorization header "
                + (header == null ? "is missing" : "is not valid") + "; expected `" + ALGORITHM
                + " Credential=<SecretId>/<yyyy-MM-dd>/<service>/tc3_request, SignedHeaders=content-type;host,"
                + " Signature=<64 lower-case hex digits>`.");
    }

    private static long timestamp(String header) throws ApiException {
        if (header == null || header.isBlank()) {
            throw new ApiException(ErrorCodes.MISSING_PARAMETER,
                    "The request is missing the header `X-TC-Timestamp` (unix seconds), which the signature needs.");
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException notANumber) {
            throw new ApiException(ErrorCodes.INVALID_PARAMETER,
                    "The header `X-TC-Timestamp` must be unix seconds, was `" + header + "`.");
        }
    }

    private static String canonicalRequest(String method, String path, Headers headers, String signedHeaders,
                                           byte[] body) {
        StringBuilder canonical = new StringBuilder(256)
                .append(method).append('\n')
                .append(path).append('\n')
                // The SDK signs POST requests with an empty query string.
                .append('\n');
        for (String name : signedHeaders.split(";")) {
            // TC3 signs header values lower-cased and trimmed. That also matters here because Jetty hands over
            // well-known values in its own spelling ("charset=UTF-8" where the SDK sent and signed "utf-8").
            String value = headers.get(name);
            canonical.append(name).append(':').append(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))
                    .append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n');
        boolean unsignedPayload = "UNSIGNED-PAYLOAD".equals(headers.get("X-TC-Content-SHA256"));
        canonical.append(sha256Hex(unsignedPayload ? "UNSIGNED-PAYLOAD".getBytes(StandardCharsets.US_ASCII) : body));
        return canonical.toString();
    }

    private String sign(String secretKey, Authorization authorization, String canonicalRequest, long timestamp) {
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + authorization.scope() + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        return hex(hmac(signingKey(secretKey, authorization), stringToSign));
    }

    private byte[] signingKey(String secretKey, Authorization authorization) {
        ConcurrentHashMap<String, byte[]> byScope =
                signingKeys.computeIfAbsent(secretKey, any -> new ConcurrentHashMap<>());
        byte[] cached = byScope.get(authorization.scope());
        if (cached != null) {
            return cached;
        }
        byte[] dateKey = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), authorization.date());
        byte[] serviceKey = hmac(dateKey, authorization.service());
        byte[] signingKey = hmac(serviceKey, "tc3_request");
        if (byScope.size() >= MAX_CACHED_KEYS) {
            // Only a client signing for ever new services or dates gets here; starting over is good enough.
            byScope.clear();
        }
        byScope.put(authorization.scope(), signingKey);
        return signingKey;
    }

    private static byte[] hmac(byte[] key, String data) {
        Mac mac = HMAC_SHA256.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 refused a key", impossible);
        }
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return hex(digest.digest(data));
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static boolean isLowerHex64(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
