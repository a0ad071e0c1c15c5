package io.github.tdmqhttp.emulator.wire;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key pairs the emulator accepts, permanent or temporary (with a session token and an expiry), and the actions
 * a CAM policy denies to a key.
 */
public final class CredentialStore {

    /** What every SecretId of a Tencent Cloud API key, permanent or temporary, starts with. */
    public static final String SECRET_ID_PREFIX = "AKID";

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
            if (!isApiKeyForm(secretId)) {
                throw new IllegalArgumentException("secretId must start with " + SECRET_ID_PREFIX
                        + ", as the SecretIds of Tencent Cloud API keys do; the emulator answers"
                        + " AuthFailure.InvalidSecretId to any other");
            }
            if ((sessionToken == null) != (expiresAt == null)) {
                throw new IllegalArgumentException("temporary credentials need both a session token and an expiry");
            }
        }

        boolean isTemporary() {
            return sessionToken != null;
        }
    }

    private final Map<String, Credential> bySecretId = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> deniedActions = new ConcurrentHashMap<>();

    /** Accepts a permanent key pair. */
    public CredentialStore add(String secretId, String secretKey) {
        return add(new Credential(secretId, secretKey, null, null));
    }

    /** Accepts a key pair; a later pair with the same SecretId replaces the earlier one. */
    public CredentialStore add(Credential credential) {
        bySecretId.put(credential.secretId(), Objects.requireNonNull(credential, "credential"));
        return this;
    }

    /**
     * A CAM policy that denies {@code actions} to {@code secretId}: such requests answer
     * AuthFailure.UnauthorizedOperation once their signature is checked.
     */
    public CredentialStore deny(String secretId, Set<String> actions) {
        requireText(secretId, "secretId");
        deniedActions.merge(secretId, Set.copyOf(actions), (old, more) -> {
            Set<String> both = new java.util.HashSet<>(old);
            both.addAll(more);
            return Set.copyOf(both);
        });
        return this;
    }

    Credential find(String secretId) {
        return bySecretId.get(secretId);
    }

    boolean denies(String secretId, String action) {
        Set<String> denied = deniedActions.get(secretId);
        return denied != null && denied.contains(action);
    }

    /** Whether {@code secretId} has the form of an API key's SecretId. */
    static boolean isApiKeyForm(String secretId) {
        return secretId.startsWith(SECRET_ID_PREFIX) && secretId.length() > SECRET_ID_PREFIX.length();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
