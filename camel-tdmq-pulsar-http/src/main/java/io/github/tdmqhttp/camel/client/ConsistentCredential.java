package io.github.tdmqhttp.camel.client;

import java.util.Objects;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;

/**
 * Hands the SDK one generation of a credential that renews itself (a CVM role, STS keys, TKE OIDC) for the whole of a
 * call. The SDK 3.1.1200 reads the SecretId, the SecretKey and the token of one call in separate calls to the
 * credential, unsynchronised, and the SDK's temporary credentials renew themselves inside those getters; with many
 * calls in flight a renewal between two reads signs a call with parts of two generations, which the service refuses
 * (AuthFailure.SignatureFailure, AuthFailure.TokenFailure).
 *
 * <p>Here only {@link #current()} reads the source, under a lock, until two reads in a row agree; the client built by
 * {@link TdmqHttpClientFactory} pins that generation to the calling thread for the call ({@link #during}), and the
 * getters answer from it. Outside a pinned call each getter answers from a fresh consistent read, as the SDK would.
 */
public final class ConsistentCredential extends Credential {

    /** A renewal happens once per expiry, so a second disagreement in a row means something else keeps writing. */
    private static final int READS = 4;

    private final Credential source;
    private final ThreadLocal<Generation> pinned = new ThreadLocal<>();

    public ConsistentCredential(Credential source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** What the SDK calls inside a call, once per request. */
    @FunctionalInterface
    public interface SdkCall<T> {
        T invoke() throws TencentCloudSDKException;
    }

    /** Runs one SDK call with one generation of the credential pinned to this thread. */
    public <T> T during(SdkCall<T> call) throws TencentCloudSDKException {
        Generation outer = pinned.get();
        pinned.set(current());
        try {
            return call.invoke();
        } finally {
            if (outer == null) {
                pinned.remove();
            } else {
                pinned.set(outer);
            }
        }
    }

    @Override
    public String getSecretId() {
        return generation().secretId;
    }

    @Override
    public String getSecretKey() {
        return generation().secretKey;
    }

    @Override
    public String getToken() {
        return generation().token;
    }

    /** The source; what it holds is read through {@link #current()} only. */
    Credential source() {
        return source;
    }

    private Generation generation() {
        Generation generation = pinned.get();
        return generation != null ? generation : current();
    }

    /**
     * One generation of the source: read twice, under the lock that all reads through this class share, until both
     * reads agree. A renewal inside the first read makes them differ; the next pair is then all new.
     */
    public synchronized Generation current() {
        Generation read = Generation.of(source);
        for (int i = 1; i < READS; i++) {
            Generation again = Generation.of(source);
            if (again.equals(read)) {
                return again;
            }
            read = again;
        }
        return read;
    }

    /** The three parts of one generation. No toString: it must never print them. */
    public static final class Generation {

        private final String secretId;
        private final String secretKey;
        private final String token;

        private Generation(String secretId, String secretKey, String token) {
            this.secretId = secretId;
            this.secretKey = secretKey;
            this.token = token;
        }

        /** No SecretId or no SecretKey: nothing to sign with. */
        boolean isIncomplete() {
            return secretId == null || secretId.isEmpty() || secretKey == null || secretKey.isEmpty();
        }

        public static Generation of(Credential credential) {
            return new Generation(credential.getSecretId(), credential.getSecretKey(), credential.getToken());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Generation that && Objects.equals(secretId, that.secretId)
                   && Objects.equals(secretKey, that.secretKey) && Objects.equals(token, that.token);
        }

        @Override
        public int hashCode() {
            return Objects.hash(secretId, secretKey, token);
        }

        @Override
        public String toString() {
            return "Generation[secretId and secret parts hidden]";
        }
    }
}
