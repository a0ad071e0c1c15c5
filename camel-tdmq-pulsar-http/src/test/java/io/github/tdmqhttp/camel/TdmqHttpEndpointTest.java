package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.TdmqHttpClientFactory;

import java.util.List;

import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configuration mistakes stop the route from starting, with a message that names the option to set; a good
 * configuration builds a client with finite timeouts.
 */
class TdmqHttpEndpointTest extends CamelTestSupport {

    private static final String KEYS = "&secretId=RAW(AKIDtest)&secretKey=RAW(test-key)";

    private void startRouteTo(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
    }

    private void startRouteFrom(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:out");
            }
        });
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void aMissingRegionStopsTheRouteAndSaysWhereToSetIt() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?endpoint=http://127.0.0.1:9" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("needs a region")
                        .hasMessageContaining("region=ap-guangzhou")
                        .hasMessageContaining("camel.component.tdmq-http.region"));
    }

    @Test
    void aMalformedTopicStopsTheRouteAndShowsTheExpectedForm() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:ns/orders?region=ap-guangzhou" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("'ns/orders' is not of the form cluster-id/namespace/topic")
                        .hasMessageContaining("pulsar-xxxx/sdk_http/topic1"));
    }

    @Test
    void topicsInTheFormsTheReferenceShowsAreAcceptedAndSentAsTheFullPath() {
        assertThat(TdmqHttpEndpoint.topicProblem("persistent://pulsar-x/ns/t")).isNull();
        assertThat(TdmqHttpEndpoint.topicProblem("orders")).isNull();
        assertThat(TdmqHttpEndpoint.canonicalTopic("persistent://pulsar-x/ns/t")).isEqualTo("pulsar-x/ns/t");
        assertThat(TdmqHttpEndpoint.canonicalTopic("orders")).isEqualTo("public/default/orders");
        assertThat(TdmqHttpEndpoint.canonicalTopic("pulsar-x/ns/t")).isEqualTo("pulsar-x/ns/t");
        assertThat(TdmqHttpEndpoint.topicProblem("non-persistent://pulsar-x/ns/t")).contains("persistent topics only");
        assertThat(TdmqHttpEndpoint.topicProblem("persistent://orders")).contains("not of the form");
        assertThat(TdmqHttpEndpoint.topicProblem("pulsar-x/ns/t/extra")).contains("not of the form");
    }

    @Test
    void theDeadLetterTopicFollowsTheNamingOfTheClusterVersion() throws Exception {
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        configuration.setTopic("pulsar-x/ns/orders");
        configuration.setSubscription("billing");
        assertThat(configuration.deadLetterTopicPath()).as("the default, 2.9")
                .isEqualTo("pulsar-x/ns/orders-billing-DLQ");
        configuration.setDeadLetterTopicNaming(DeadLetterTopicNaming.SUBSCRIPTION_DLQ);
        assertThat(configuration.deadLetterTopicPath()).isEqualTo("pulsar-x/ns/billing-DLQ");
        configuration.setDeadLetterTopicNaming(DeadLetterTopicNaming.SUBSCRIPTION_DLQ_LOWER_CASE);
        assertThat(configuration.deadLetterTopicPath()).isEqualTo("pulsar-x/ns/billing-dlq");
        configuration.setDeadLetterTopic("parked");
        assertThat(configuration.deadLetterTopicPath()).as("a name set wins")
                .isEqualTo("pulsar-x/ns/parked");

        TdmqHttpEndpoint endpoint = context.getEndpoint("tdmq-http:pulsar-x/ns/orders?region=ap-guangzhou&subscription=billing" + KEYS
                                                        + "&deadLetterTopicNaming=SUBSCRIPTION_DLQ", TdmqHttpEndpoint.class);
        assertThat(endpoint.getConfiguration().getDeadLetterTopicNaming()).isEqualTo(DeadLetterTopicNaming.SUBSCRIPTION_DLQ);
    }

    @Test
    void aProducerNameWithSeveralSendsInFlightIsRefusedSayingWhy() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&producerName=role1" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("maxSendsInFlight=128")
                        .hasMessageContaining("FailedOperation.CreateProducerError")
                        .hasMessageContaining("set maxSendsInFlight=1"));
    }

    @Test
    void aBlankProducerNameIsNotSentSoItNeedsNoSingleSend() throws Exception {
        // What an unset placeholder such as ${TDMQ_ROLE_NAME:} leaves.
        startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&producerName=RAW( )" + KEYS);

        assertThat(context.getRoutes()).hasSize(1);
    }

    @Test
    void aConsumerWithoutSubscriptionDoesNotStartAndSaysWhatToAdd() {
        assertThatThrownBy(() -> startRouteFrom("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("needs a subscription")
                        .hasMessageContaining("subscription=<name>"));
    }

    @Test
    void aReceiverQueueSmallerThanTheBatchIsRefused() {
        assertThatThrownBy(() -> startRouteFrom("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&subscription=s"
                                                + "&maxMessagesPerPoll=64&receiverQueueSize=10" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("receiverQueueSize=10")
                        .hasMessageContaining("maxMessagesPerPoll=64"));
    }

    @Test
    void aBatchWaitLongerThanTheReadTimeoutIsRefused() {
        assertThatThrownBy(() -> startRouteFrom("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&subscription=s"
                                                + "&batchReceiveTimeout=5000&readTimeout=2000" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("lower batchReceiveTimeout or raise readTimeout"));
    }

    @Test
    void anUnknownOptionIsRefusedByName() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&subscriptoin=s" + KEYS))
                .hasMessageContaining("subscriptoin");
    }

    @Test
    void withNoCredentialsAnywhereTheRouteDoesNotStartAndListsWhereToPutThem() throws Exception {
        context.getRegistry().bind("nothing", (com.tencentcloudapi.common.provider.CredentialsProvider) () -> null);
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou"
                                              + "&credentialsProvider=#nothing"))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("No Tencent Cloud credentials")
                        .hasMessageContaining("secretId and secretKey")
                        .hasMessageContaining("TENCENTCLOUD_SECRET_ID")
                        .hasMessageContaining("~/.tencentcloud/credentials"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void theSdkDefaultChainFindingNothingStopsTheRouteWithTheSameAdvice() {
        // Only where the chain has nothing to find: no variables, no profile file (a CVM role lookup fails off Tencent
        // Cloud).
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TENCENTCLOUD_SECRET_ID") == null
                                                     && !java.nio.file.Files.exists(java.nio.file.Path.of(
                System.getProperty("user.home"), ".tencentcloud", "credentials"))
                                                     && !java.nio.file.Files.exists(java.nio.file.Path.of(
                "/etc/tencentcloud/credentials")));

        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou"))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("No Tencent Cloud credentials")
                        .hasMessageContaining("TENCENTCLOUD_SECRET_ID"));
    }

    @Test
    void aSecretIdWithoutSecretKeyIsRefused() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&secretId=RAW(AKIDonly)"))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("secretId but no secretKey"));
    }

    @Test
    void aProviderGivesTheCredentialsWhenNoKeysAreSet() throws Exception {
        context.getRegistry().bind("keys", (com.tencentcloudapi.common.provider.CredentialsProvider)
                () -> new com.tencentcloudapi.common.Credential("AKIDprovided", "provided-key"));
        startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&credentialsProvider=#keys");

        TdmqHttpEndpoint endpoint = context.getEndpoints().stream().filter(TdmqHttpEndpoint.class::isInstance)
                .map(TdmqHttpEndpoint.class::cast).findFirst().orElseThrow();
        assertThat(endpoint.gateway()).isNotNull();
    }

    @Test
    void theClientHasFiniteTimeoutsAndTheConfiguredEndpoint() throws Exception {
        startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-shanghai&endpoint=http://127.0.0.1:9090&readTimeout=2500"
                     + "&proxyHost=127.0.0.1&proxyPort=3128" + KEYS);

        TdmqHttpEndpoint endpoint = context.getEndpoints().stream().filter(TdmqHttpEndpoint.class::isInstance)
                .map(TdmqHttpEndpoint.class::cast).findFirst().orElseThrow();
        TdmqClient client = endpointClient(endpoint);
        HttpProfile http = client.getClientProfile().getHttpProfile();
        assertThat(http.getEndpoint()).isEqualTo("127.0.0.1:9090");
        assertThat(http.getProtocol()).isEqualTo("http://");
        assertThat(http.getConnTimeout()).isEqualTo(10);
        assertThat(http.getReadTimeout()).isEqualTo(3);
        assertThat(http.getWriteTimeout()).isEqualTo(30);
        assertThat(http.getProxyHost()).isEqualTo("127.0.0.1");
        assertThat(http.getProxyPort()).isEqualTo(3128);
        assertThat(client.getRegion()).isEqualTo("ap-shanghai");
        assertThat(client.getClientProfile().isDebug()).isFalse();
        assertThat(endpoint.getServiceUrl()).isEqualTo("http://127.0.0.1:9090");
    }

    @Test
    void aHostAloneIsReachedOverHttps() {
        TdmqHttpClientFactory.ApiAddress address = TdmqHttpClientFactory.ApiAddress.parse("tdmq.intl.tencentcloudapi.com");

        assertThat(address.protocol()).isEqualTo("https://");
        assertThat(address.host()).isEqualTo("tdmq.intl.tencentcloudapi.com");
        assertThatThrownBy(() -> TdmqHttpClientFactory.ApiAddress.parse("ftp://somewhere"))
                .hasMessageContaining("only http:// and https://");
    }

    @Test
    void anEndpointWithAPathOrQueryIsRefusedRatherThanDropped() {
        for (String endpoint : List.of("http://127.0.0.1:9090/tdmq", "tdmq.tencentcloudapi.com/api",
                "https://tdmq.tencentcloudapi.com?x=1", "https://user@tdmq.tencentcloudapi.com")) {
            assertThatThrownBy(() -> TdmqHttpClientFactory.ApiAddress.parse(endpoint)).as(endpoint)
                    .hasMessageContaining("'" + endpoint + "' is refused")
                    .hasMessageContaining("path, query or user part");
        }
        assertThat(TdmqHttpClientFactory.ApiAddress.parse("http://127.0.0.1:9090/").url())
                .isEqualTo("http://127.0.0.1:9090");
    }

    @Test
    void aHostWithAPathButNoSchemeStopsTheRouteNamingTheOption() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou"
                                              + "&endpoint=127.0.0.1:9090/tdmq" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("endpoint option '127.0.0.1:9090/tdmq' is refused")
                        .hasMessageContaining("path, query or user part"));
    }

    @Test
    void timeoutsThatAreZeroNegativeOrBeyondWhatTheSdkTakesStopTheRouteNamingOptionValueAndRange() {
        for (String option : List.of("connectTimeout", "readTimeout", "writeTimeout")) {
            for (long millis : new long[] { 0, -1, TdmqHttpClientFactory.MAX_TIMEOUT_MILLIS + 1, Long.MAX_VALUE }) {
                assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&" + option + "="
                                                      + millis + KEYS)).as(option + "=" + millis)
                        .satisfies(failure -> assertThat(rootCause(failure))
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining(option + "=" + millis + " ms is refused")
                                .hasMessageContaining("between 1 ms and 2147483000 ms"));
            }
        }
    }

    @Test
    void theLongestTimeoutTheSdkTakesIsAccepted() throws Exception {
        startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&readTimeout=2147483000&connectTimeout=1" + KEYS);

        TdmqHttpEndpoint endpoint = context.getEndpoints().stream().filter(TdmqHttpEndpoint.class::isInstance)
                .map(TdmqHttpEndpoint.class::cast).findFirst().orElseThrow();
        HttpProfile http = endpointClient(endpoint).getClientProfile().getHttpProfile();
        assertThat(http.getReadTimeout()).isEqualTo(2_147_483);
        assertThat(http.getConnTimeout()).isEqualTo(1);
    }

    @Test
    void aNegativeRequestRateStopsTheRouteSayingThatZeroMeansNoLimit() {
        assertThatThrownBy(() -> startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&maxRequestsPerSecond=-1"
                                              + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("maxRequestsPerSecond=-1 is refused")
                        .hasMessageContaining("0 (no limit) or more"));
    }

    @Test
    void aNegativeBatchWaitOrByteLimitStopsTheConsumerNamingOptionAndValue() {
        assertThatThrownBy(() -> startRouteFrom("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&subscription=s"
                                                + "&batchReceiveTimeout=-5" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("batchReceiveTimeout=-5 ms is refused")
                        .hasMessageContaining("0 or more"));
        assertThatThrownBy(() -> startRouteFrom("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&subscription=s2"
                                                + "&maxNumBytes=-1" + KEYS))
                .satisfies(failure -> assertThat(rootCause(failure))
                        .hasMessageContaining("maxNumBytes=-1 is refused")
                        .hasMessageContaining("0 (no limit)"));
    }

    @Test
    void secretOptionsInAUriAreNamedInOneWarningWithTheSafeAlternativeButNeverShown() throws Exception {
        try (LogCapture logs = LogCapture.info()) {
            startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou&secretId=RAW(AKIDwarned)"
                         + "&secretKey=RAW(sk-WarnedSecretKey)&stringToken=RAW(rt-WarnedRoleKey)");

            List<String> warnings = logs.lines().stream().filter(line -> line.startsWith("WARN")
                                                                         && line.contains("in its URI")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0))
                    .contains("tdmq-http:pulsar-x/ns/t has secretId, secretKey, stringToken in its URI")
                    .contains("camel.component.tdmq-http.secret-key", "camel.component.tdmq-http.string-token")
                    .contains("credentialsProvider", "TENCENTCLOUD_SECRET_ID")
                    .doesNotContain("AKIDwarned").doesNotContain("sk-WarnedSecretKey")
                    .doesNotContain("rt-WarnedRoleKey");
        }
    }

    @Test
    void secretsSetOnTheComponentAreNotWarnedAbout() throws Exception {
        TdmqHttpComponent component = context.getComponent("tdmq-http", TdmqHttpComponent.class);
        component.getConfiguration().setSecretId("AKIDcomponent");
        component.getConfiguration().setSecretKey("component-key");
        component.getConfiguration().setStringToken("component-role-key");
        try (LogCapture logs = LogCapture.info()) {
            startRouteTo("tdmq-http:pulsar-x/ns/t?region=ap-guangzhou");

            assertThat(logs.lines()).noneMatch(line -> line.contains("in its URI"));
        }
    }

    @Test
    void theSecretOptionsAreThoseTheMetadataMarksSecret() throws Exception {
        String json = new String(getClass().getResourceAsStream("/META-INF/io/github/tdmqhttp/camel/tdmq-http.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        org.apache.camel.util.json.JsonObject properties = ((org.apache.camel.util.json.JsonObject)
                org.apache.camel.util.json.Jsoner.deserialize(json)).getMap("properties");
        java.util.Set<String> secret = properties.entrySet().stream()
                .filter(entry -> Boolean.TRUE.equals(((java.util.Map<?, ?>) entry.getValue()).get("secret")))
                .map(java.util.Map.Entry::getKey).collect(java.util.stream.Collectors.toSet());

        assertThat(TdmqHttpConfiguration.SECRET_OPTIONS).isEqualTo(secret);
    }

    @Test
    void aClientBeanIsUsedAsIsAndNeedsNoRegionOption() throws Exception {
        TdmqClient own = new TdmqClient(new com.tencentcloudapi.common.Credential("AKIDbean", "bean-key"),
                "ap-beijing");
        context.getRegistry().bind("myClient", own);
        startRouteTo("tdmq-http:pulsar-x/ns/t");

        TdmqHttpEndpoint endpoint = context.getEndpoints().stream().filter(TdmqHttpEndpoint.class::isInstance)
                .map(TdmqHttpEndpoint.class::cast).findFirst().orElseThrow();
        assertThat(endpoint.getConfiguration().getClient()).isSameAs(own);
        assertThat(endpointClient(endpoint)).isSameAs(own);
    }

    /** The client the endpoint's factory builds from its configuration, as the endpoint did when it started. */
    private static TdmqClient endpointClient(TdmqHttpEndpoint endpoint) {
        return TdmqHttpClientFactory.create(endpoint.getConfiguration(), endpoint.getCamelContext());
    }

}
