package io.github.tdmqhttp.emulator.wire;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** The key pairs the emulator accepts, permanent or temporary (with a session token and an expiry). */
public final class CredentialStore {

    /**
     * One accepted key pair.
     *
     * @param secretId     the SecretId, as it appears in the Authorization header
     * @param secretKey    the SecretKey the signature is made with
     * @param sessionToken the session token X-TC-Token must carry, or null for permanent credentials
     * @param expiresAt    when temporary credentials stop working, or null
     */
    public record Credential(String secretId, String secretKey, String sessionToken, Instant expiresAt) {

        public Credential {
            requireText(secretId, "secretId");
            requireText(secretKey, "secretKey");
            if ((sessionToken == null) != (expiresAt == null)) {
                throw new IllegalArgumentException("temporary credentials need both a session token and an expiry");
            }
        }

        boolean isTemporary() {
            return sessionToken != null;
        }
    }

    private final Map<String, Credential> bySecretId = new ConcurrentHashMap<>();

    /** Accepts a permanent key pair. */
    public CredentialStore add(String secretId, String secretKey) {
        return add(new Credential(secretId, secretKey, null, null));
    }

    /** Accepts a key pair; a later pair with the same SecretId replaces the earlier one. */
    public CredentialStore add(Credential credential) {
        bySecretId.put(credential.secretId(), Objects.requireNonNull(credential, "credential"));
        return this;
    }

    Credential find(String secretId) {
        return bySecretId.get(secretId);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
