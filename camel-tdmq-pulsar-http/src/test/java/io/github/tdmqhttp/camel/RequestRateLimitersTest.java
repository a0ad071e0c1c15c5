package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.RequestRateLimiter;
import io.github.tdmqhttp.camel.client.RequestRateLimiters;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of a JVM that spends one quota (action, API region, CAM sub-account) waits on one limiter, whatever
 * component it belongs to; other quotas have their own.
 */
class RequestRateLimitersTest {

    private static final String TOPIC = "pulsar-quota/ns/orders";

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder().topic(TOPIC, 1)
            .addCredentials("AKIDOtherSubAccount", "other-secret-key").rateLimit(20));

    /** A component pointed at the emulator with the given keys, region and rate, registered under a name. */
    private static TdmqHttpComponent component(String secretId, String secretKey, String region, int perSecond) {
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        configuration.setEndpoint(emulator.endpoint());
        configuration.setRegion(region);
        configuration.setSecretId(secretId);
        configuration.setSecretKey(secretKey);
        configuration.setMaxRequestsPerSecond(perSecond);
        TdmqHttpComponent component = new TdmqHttpComponent();
        component.setConfiguration(configuration);
        return component;
    }

    private static RequestRateLimiter sendLimiter(CamelContext camel, String uri) {
        TdmqHttpEndpoint endpoint = camel.getEndpoint(uri, TdmqHttpEndpoint.class);
        return endpoint.gateway().rateLimiter(TdmqHttpActions.SEND_MESSAGES);
    }

    @Test
    void twoComponentsWithTheSameKeysRegionAndHostShareOneLimiterAndStayUnderTheQuotaTogether() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("tdmq-a", component(emulator.get().secretId(), emulator.get().secretKey(),
                    emulator.get().region(), 12));
            camel.addComponent("tdmq-b", component(emulator.get().secretId(), emulator.get().secretKey(),
                    emulator.get().region(), 12));
            camel.start();
            assertThat(sendLimiter(camel, "tdmq-a:" + TOPIC)).isSameAs(sendLimiter(camel, "tdmq-b:" + TOPIC));

            // Two senders of 12 a second each would pass the service's 20; sharing one limit, they stay under it.
            long throttledBefore = emulator.get().requestStats().get("SendMessages").throttled();
            ProducerTemplate template = camel.createProducerTemplate();
            List<CompletableFuture<Void>> sending = List.of("tdmq-a", "tdmq-b").stream()
                    .map(scheme -> CompletableFuture.runAsync(() -> template.sendBody(
                            scheme + ":" + TOPIC + "?maxRetries=0",
                            IntStream.range(0, 20).mapToObj(i -> scheme + "-" + i).toList())))
                    .toList();
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();

            assertThat(emulator.get().requestStats().get("SendMessages").throttled() - throttledBefore).isZero();
        }
    }

    @Test
    void otherKeysOrAnotherRegionSpendAnotherQuota() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("tdmq-a", component(emulator.get().secretId(), emulator.get().secretKey(),
                    emulator.get().region(), 15));
            camel.addComponent("tdmq-other-keys", component("AKIDOtherSubAccount", "other-secret-key",
                    emulator.get().region(), 15));
            camel.addComponent("tdmq-other-region", component(emulator.get().secretId(), emulator.get().secretKey(),
                    "ap-shanghai", 15));
            camel.start();
            RequestRateLimiter limiter = sendLimiter(camel, "tdmq-a:" + TOPIC);

            assertThat(sendLimiter(camel, "tdmq-other-keys:" + TOPIC)).isNotSameAs(limiter);
            assertThat(sendLimiter(camel, "tdmq-other-region:" + TOPIC)).isNotSameAs(limiter);
        }
    }

    @Test
    void anEndpointWithAnotherRateAddsNoBudgetAndTheLowestRateApplies() throws Exception {
        RequestRateLimiters.Quota quota = RequestRateLimiters.Owner.of(component(emulator.get().secretId(),
                emulator.get().secretKey(), emulator.get().region(), 15).getConfiguration()).of(TdmqHttpActions.SEND_MESSAGES);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("tdmq-http", component(emulator.get().secretId(), emulator.get().secretKey(), emulator.get().region(),
                    15));
            camel.start();
            RequestRateLimiter limiter = sendLimiter(camel, "tdmq-http:" + TOPIC);
            TdmqHttpEndpoint slower = camel.getEndpoint("tdmq-http:" + TOPIC + "?maxRequestsPerSecond=5",
                    TdmqHttpEndpoint.class);

            assertThat(slower.gateway().rateLimiter(TdmqHttpActions.SEND_MESSAGES)).isSameAs(limiter);
            assertThat(limiter.configuredRate()).isEqualTo(5);

            slower.stop();
            assertThat(limiter.configuredRate()).as("the slower endpoint stopped").isEqualTo(15);
            assertThat(RequestRateLimiters.current(quota)).isSameAs(limiter);
        }
        assertThat(RequestRateLimiters.current(quota)).as("dropped with the last endpoint that used it").isNull();
    }

    @Test
    void twoCredentialsProviderBeansAreTwoOwnersWhateverTheyHashTo() {
        TdmqHttpConfiguration one = component(null, null, "ap-guangzhou", 15).getConfiguration();
        one.setCredentialsProvider(new ConstantHash());
        TdmqHttpConfiguration other = component(null, null, "ap-guangzhou", 15).getConfiguration();
        other.setCredentialsProvider(new ConstantHash());

        assertThat(RequestRateLimiters.Owner.of(one)).isNotEqualTo(RequestRateLimiters.Owner.of(other));
        assertThat(RequestRateLimiters.Owner.of(one)).isEqualTo(RequestRateLimiters.Owner.of(one));
    }

    /** A provider whose equals and hashCode say every instance is the same. */
    private static final class ConstantHash implements com.tencentcloudapi.common.provider.CredentialsProvider {

        @Override
        public com.tencentcloudapi.common.Credential getCredentials() {
            return null;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ConstantHash;
        }

        @Override
        public int hashCode() {
            return 42;
        }
    }

    @Test
    void aLoweredRateIsAFloorThatCallsGoingThroughNeverPass() {
        RequestRateLimiter limiter = new RequestRateLimiter(1000);
        limiter.limitTo(100);
        for (int i = 0; i < 1000; i++) {
            limiter.passed();
        }
        assertThat(limiter.currentRate()).isLessThanOrEqualTo(100.0);
    }

    @Test
    void aSecretIdIsKeptOnlyAsADigest() {
        RequestRateLimiters.Owner owner = RequestRateLimiters.Owner.of(component("AKIDVisibleInNoKey", "key",
                "ap-guangzhou", 15).getConfiguration());

        assertThat(owner.toString()).doesNotContain("AKIDVisibleInNoKey");
    }
}
