package io.github.tdmqhttp.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made API requests, for what the SDK cannot send (a malformed body, odd headers) and for checking the
 * signature from a second, independent implementation of TC3-HMAC-SHA256.
 */
final class RawApi {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private final int port;
    private final String secretId;
    private final String secretKey;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String service = "tdmq";
    private Instant signedAt = Instant.now();
    private boolean signed = true;

    private RawApi(int port, String secretId, String secretKey) {
        this.port = port;
        this.secretId = secretId;
        this.secretKey = secretKey;
    }

    /** A request with the headers the SDK sends, signed with the emulator's primary credentials. */
    static RawApi to(TdmqEmulator emulator, String action) {
        RawApi raw = new RawApi(emulator.port(), emulator.secretId(), emulator.secretKey());
        raw.headers.put("X-TC-Action", action);
        raw.headers.put("X-TC-Version", "2020-02-17");
        raw.headers.put("X-TC-Region", TdmqEmulator.REGION);
        return raw;
    }

    /** Sets a header; null removes it. */
    RawApi header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    /** The service name written into the credential scope. */
    RawApi service(String service) {
        this.service = service;
        return this;
    }

    /** Sends the Authorization header given with {@link #header} instead of a signature. */
    RawApi unsigned() {
        this.signed = false;
        return this;
    }

    /** Posts {@code body} to / and returns the answer's body. */
    String post(String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(Sdk.READ_TIMEOUT_SECONDS))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        long timestamp = signedAt.getEpochSecond();
        request.header("X-TC-Timestamp", Long.toString(timestamp));
        headers.forEach(request::header);
        if (signed) {
            request.header("Authorization", authorization(bytes, timestamp));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String authorization(byte[] body, long timestamp) {
        // java.net.http sends Host as host:port, and that is what gets signed.
        String host = "127.0.0.1:" + port;
        String canonicalRequest = "POST\n/\n\ncontent-type:" + CONTENT_TYPE + "\nhost:" + host
                + "\n\ncontent-type;host\n" + sha256Hex(body);
        String date = LocalDate.ofInstant(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC).toString();
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, service);
        key = hmac(key, "tc3_request");
        String signature = HexFormat.of().formatHex(hmac(key, stringToSign));
        return "TC3-HMAC-SHA256 Credential=" + secretId + "/" + scope + ", SignedHeaders=content-type;host, Signature="
                + signature;
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
