package io.github.tdmqhttp.camel;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import com.tencentcloudapi.common.AbstractModel;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import com.tencentcloudapi.common.provider.DefaultCredentialsProvider;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

import static org.apache.camel.util.ObjectHelper.isEmpty;

/**
 * Builds the SDK client of an endpoint from its connection and security options, or hands back the client bean the
 * user configured. Kept apart from {@link TdmqHttpGateway}, which only makes calls, as Camel's AWS components keep
 * their client factories apart from the code that calls the client.
 */
public final class TdmqHttpClientFactory {

    static final String NO_CREDENTIALS = "No Tencent Cloud credentials for tdmq-http. Set secretId and secretKey"
                                         + " (camel.component.tdmq-http.secret-id and"
                                         + " camel.component.tdmq-http.secret-key, or a credentialsProvider bean),"
                                         + " or the environment variables TENCENTCLOUD_SECRET_ID and"
                                         + " TENCENTCLOUD_SECRET_KEY, or secret_id and secret_key in the [default]"
                                         + " section of ~/.tencentcloud/credentials; on a CVM instance, attach a CAM"
                                         + " role to it";

    /**
     * The longest timeout the SDK can take: it passes whole seconds to OkHttp, which refuses more than
     * Integer.MAX_VALUE milliseconds.
     */
    static final long MAX_TIMEOUT_MILLIS = Integer.MAX_VALUE / 1000 * 1000L;

    private TdmqHttpClientFactory() {
    }

    /** The configured client bean, or a new client built from the options. */
    public static TdmqClient create(TdmqHttpConfiguration configuration, CamelContext camelContext) {
        if (configuration.getClient() != null) {
            return configuration.getClient();
        }
        ApiAddress address = ApiAddress.parse(configuration.getEndpoint());
        HttpProfile http = new HttpProfile();
        http.setEndpoint(address.host());
        http.setProtocol(address.protocol());
        http.setConnTimeout(seconds(configuration.getConnectTimeout()));
        http.setReadTimeout(seconds(configuration.getReadTimeout()));
        http.setWriteTimeout(seconds(configuration.getWriteTimeout()));
        if (!isEmpty(configuration.getProxyHost())) {
            http.setProxyHost(configuration.getProxyHost());
            http.setProxyPort(configuration.getProxyPort() != null ? configuration.getProxyPort() : 80);
            http.setProxyUsername(configuration.getProxyUsername());
            http.setProxyPassword(configuration.getProxyPassword());
        }
        if (configuration.getSslContextParameters() != null) {
            applyTls(http, configuration.getSslContextParameters(), camelContext);
        }
        // The SDK's debug logging stays off: it would log the Authorization header and the session token in clear.
        ClientProfile profile = new ClientProfile(ClientProfile.SIGN_TC3_256, http);
        Credential credential = credentialOf(configuration);
        return credential instanceof ConsistentCredential consistent
                ? new ConsistentTdmqClient(consistent, configuration.getRegion(), profile)
                : new TdmqClient(credential, configuration.getRegion(), profile);
    }

    /**
     * A client that signs each request with one generation of a credential that renews itself. Every action of
     * TdmqClient goes through this method of the SDK's AbstractClient, once per request.
     */
    static final class ConsistentTdmqClient extends TdmqClient {

        private final ConsistentCredential credential;

        ConsistentTdmqClient(ConsistentCredential credential, String region, ClientProfile profile) {
            super(credential, region, profile);
            this.credential = credential;
        }

        @Override
        protected <T> T internalRequest(AbstractModel request, String actionName, Class<T> typeOfT)
                throws TencentCloudSDKException {
            return credential.during(() -> super.internalRequest(request, actionName, typeOfT));
        }
    }

    /**
     * Gives the SDK the socket factory and the trust manager of the sslContextParameters. The SDK's OkHttp needs
     * both: given a socket factory alone, OkHttp 4 would look for the trust manager by reflection, which fails on
     * Java 9 and later.
     */
    private static void applyTls(HttpProfile http, SSLContextParameters parameters, CamelContext camelContext) {
        try {
            SSLContext context = parameters.createSSLContext(camelContext);
            http.setSslSocketFactory(context.getSocketFactory());
            http.setX509TrustManager(trustManagerOf(parameters, camelContext));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("The tdmq-http sslContextParameters cannot make a TLS context: "
                                               + e.getMessage() + ". Check its key store and trust store (path,"
                                               + " type and password)", e);
        }
    }

    private static X509TrustManager trustManagerOf(SSLContextParameters parameters, CamelContext camelContext)
            throws GeneralSecurityException, IOException {
        TrustManager[] managers;
        if (parameters.getTrustManagers() != null) {
            parameters.getTrustManagers().setCamelContext(camelContext);
            managers = parameters.getTrustManagers().createTrustManagers();
        } else {
            // No trust managers given: the SSLContext uses the JVM's default ones, and so must OkHttp.
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            managers = factory.getTrustManagers();
        }
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalArgumentException("The tdmq-http sslContextParameters have no X509TrustManager, which the"
                                           + " HTTPS client needs: give trustManagers with a key store of certificates");
    }

    /** The SDK counts whole seconds and takes 0 as "forever"; round up so a finite timeout stays finite. */
    static int seconds(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    private static Credential credentialOf(TdmqHttpConfiguration configuration) {
        String id = configuration.getSecretId();
        String key = configuration.getSecretKey();
        if (!isEmpty(id) || !isEmpty(key)) {
            if (isEmpty(id) || isEmpty(key)) {
                throw new IllegalArgumentException("tdmq-http has " + (isEmpty(id) ? "secretKey but no secretId"
                        : "secretId but no secretKey") + ": set both, or neither to use the default credentials"
                        + " chain (environment variables, profile file, CVM role)");
            }
            String token = configuration.getSessionToken();
            return isEmpty(token) ? new Credential(id, key) : new Credential(id, key, token);
        }
        if (!isEmpty(configuration.getSessionToken())) {
            throw new IllegalArgumentException("tdmq-http has a sessionToken but no secretId and secretKey: temporary"
                                               + " credentials need all three");
        }
        CredentialsProvider provider = configuration.getCredentialsProvider() != null
                ? configuration.getCredentialsProvider() : new DefaultCredentialsProvider();
        Credential credential;
        try {
            credential = provider.getCredentials();
        } catch (TencentCloudSDKException | RuntimeException e) {
            // The chain's last provider throws when it finds nothing; earlier ones (CVM role) return nulls instead.
            credential = null;
        }
        if (credential == null) {
            throw new IllegalArgumentException(NO_CREDENTIALS);
        }
        // A provider's credential may renew itself (CVM role, STS, OIDC) while calls are in flight.
        ConsistentCredential consistent = new ConsistentCredential(credential);
        ConsistentCredential.Generation first;
        try {
            first = consistent.current();
        } catch (RuntimeException e) {
            // A CVM role credential off a CVM instance throws from its getters.
            throw new IllegalArgumentException(NO_CREDENTIALS, e);
        }
        if (first.isIncomplete()) {
            throw new IllegalArgumentException(NO_CREDENTIALS);
        }
        return consistent;
    }

    /** Where the API is: the scheme and the host[:port] the SDK wants separately. */
    record ApiAddress(String protocol, String host) {

        /**
         * A host[:port] (reached over HTTPS) or an http(s) URL of a host, e.g. {@code http://127.0.0.1:9090}. A path,
         * query or user part is refused rather than dropped: the SDK always posts to "/" of the host.
         */
        static ApiAddress parse(String endpoint) {
            if (isEmpty(endpoint)) {
                throw new IllegalArgumentException("The tdmq-http endpoint option is empty: leave it unset for "
                                                   + TdmqHttpConfiguration.DEFAULT_ENDPOINT
                                                   + ", or set a host or a URL such as http://127.0.0.1:9090");
            }
            String trimmed = endpoint.strip();
            boolean hasScheme = trimmed.contains("://");
            URI uri;
            try {
                uri = URI.create(hasScheme ? trimmed : "https://" + trimmed);
            } catch (IllegalArgumentException e) {
                throw invalidEndpoint(endpoint, "it is not a valid host or URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw invalidEndpoint(endpoint, "only http:// and https:// are supported");
            }
            if (isEmpty(uri.getHost())) {
                throw invalidEndpoint(endpoint, "it names no host");
            }
            String path = uri.getRawPath();
            if (!isEmpty(path) && !path.equals("/") || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
                throw invalidEndpoint(endpoint, "the API is always reached at \"/\" of its host, so a path, query or"
                                                + " user part would be ignored");
            }
            String host = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
            return new ApiAddress(scheme + "://", host);
        }

        String url() {
            return protocol + host;
        }

        private static IllegalArgumentException invalidEndpoint(String endpoint, String why) {
            return new IllegalArgumentException("The tdmq-http endpoint option '" + endpoint + "' is refused: " + why
                                                + ". Use a host such as " + TdmqHttpConfiguration.DEFAULT_ENDPOINT
                                                + " or a URL such as http://127.0.0.1:9090");
        }
    }
}
