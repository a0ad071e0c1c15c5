package io.github.tdmqhttp.camel.client;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-side limiters of a JVM, one per quota. Tencent counts the 1000 calls a second per action, per API region
 * and per CAM sub-account (API 3.0 rate-limit doc 1278/109059): every endpoint that spends the same quota, in any
 * component instance of any Camel context of the JVM, shares one limiter, and endpoints that spend different quotas
 * (other keys, another region, another API host) have their own. A quota's limiter runs at the lowest
 * maxRequestsPerSecond of the endpoints that use it (safe first): an endpoint with a different rate does not add a
 * budget of its own. A limiter is dropped when the last endpoint that uses it stops.
 * <p>
 * Who owns a quota: the configured secretId (kept only as a digest), or else the credentials source, a
 * credentialsProvider or TdmqClient bean by identity, or the SDK's default chain, which finds the same keys for the
 * whole JVM.
 */
public final class RequestRateLimiters {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimiters.class);

    /** Guarded by the class. */
    private static final Map<Quota, Shared> LIMITERS = new HashMap<>();

    private RequestRateLimiters() {
    }

    /**
     * One action's quota.
     *
     * @param owner  who is counted: a digest of the secretId, or the credentials source
     * @param region the API region
     * @param host   the API's host[:port]
     */
    public record Quota(String action, Object owner, String region, String host) {
    }

    /** A bean that brings its own credentials, compared by identity: two beans are two owners, whatever they hash to. */
    private record Bean(Object bean) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Bean that && that.bean == bean;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(bean);
        }

        @Override
        public String toString() {
            return bean.getClass().getSimpleName() + "@" + Integer.toHexString(hashCode());
        }
    }

    /** The quotas an endpoint spends, one per action: what it names them by. */
    public record Owner(Object owner, String region, String host) {

        public static Owner of(TdmqHttpConfiguration configuration) {
            Object owner;
            if (configuration.getClient() != null) {
                owner = new Bean(configuration.getClient());
            } else if (!ObjectHelper.isEmpty(configuration.getSecretId())) {
                owner = "secretId:" + digest(configuration.getSecretId().strip());
            } else if (configuration.getCredentialsProvider() != null) {
                owner = new Bean(configuration.getCredentialsProvider());
            } else {
                owner = "default-chain";
            }
            String host = TdmqHttpClientFactory.ApiAddress.parse(configuration.getEndpoint()).host();
            return new Owner(owner, String.valueOf(configuration.getRegion()), host);
        }

        public Quota of(String action) {
            return new Quota(action, owner, region, host);
        }
    }

    /** An endpoint's hold on the limiters it uses; closing it lets them go. */
    public static final class Lease implements AutoCloseable {

        private final Owner owner;
        private final int perSecond;
        private final List<Quota> held = new ArrayList<>();

        private Lease(Owner owner, int perSecond) {
            this.owner = owner;
            this.perSecond = perSecond;
        }

        /** The limiter of an action's quota, or null when this endpoint's rate is 0 (no limit). */
        public synchronized RequestRateLimiter limiter(String action) {
            if (perSecond <= 0) {
                return null;
            }
            Quota quota = owner.of(action);
            held.add(quota);
            return take(quota, perSecond);
        }

        @Override
        public synchronized void close() {
            held.forEach(quota -> give(quota, perSecond));
            held.clear();
        }
    }

    /** A lease on the limiters of the quotas an endpoint with this configuration spends. */
    public static Lease lease(TdmqHttpConfiguration configuration) {
        return new Lease(Owner.of(configuration), configuration.getMaxRequestsPerSecond());
    }

    /** The limiter of a quota, if an endpoint holds it; for tests. */
    public static synchronized RequestRateLimiter current(Quota quota) {
        Shared shared = LIMITERS.get(quota);
        return shared != null ? shared.limiter : null;
    }

    private static synchronized RequestRateLimiter take(Quota quota, int perSecond) {
        Shared shared = LIMITERS.get(quota);
        if (shared == null) {
            shared = new Shared(new RequestRateLimiter(perSecond));
            LIMITERS.put(quota, shared);
        } else if (perSecond < shared.lowest()) {
            LOG.info("{} calls to {} in {} now go at {} a second at most, the lowest maxRequestsPerSecond of the"
                     + " endpoints that share this quota (was {})", quota.action(), quota.host(), quota.region(),
                    perSecond, shared.lowest());
            shared.limiter.limitTo(perSecond);
        }
        shared.rates.add(perSecond);
        return shared.limiter;
    }

    private static synchronized void give(Quota quota, int perSecond) {
        Shared shared = LIMITERS.get(quota);
        if (shared == null) {
            return;
        }
        shared.rates.remove(Integer.valueOf(perSecond));
        if (shared.rates.isEmpty()) {
            LIMITERS.remove(quota);
        } else if (shared.lowest() != shared.limiter.configuredRate()) {
            shared.limiter.limitTo(shared.lowest());
        }
    }

    /** A quota's limiter and the rates of the endpoints that use it. */
    private static final class Shared {

        private final RequestRateLimiter limiter;
        private final List<Integer> rates = new ArrayList<>();

        Shared(RequestRateLimiter limiter) {
            this.limiter = limiter;
        }

        int lowest() {
            return rates.stream().mapToInt(Integer::intValue).min().orElse(limiter.configuredRate());
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
