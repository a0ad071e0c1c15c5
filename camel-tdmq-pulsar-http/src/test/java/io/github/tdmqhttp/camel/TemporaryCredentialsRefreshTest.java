package io.github.tdmqhttp.camel;

import io.github.tdmqhttp.camel.client.ConsistentCredential;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.provider.CredentialsProvider;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorBuilder;
import io.github.tdmqhttp.emulator.TdmqEmulatorExtension;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporary credentials (a CVM role, STS) renew themselves while calls are in flight: the SDK 3.1.1200 reads the
 * SecretId, the SecretKey and the token of a call in separate calls to the credential, each of which may renew it, so
 * without care a renewal in between signs a call with parts of two generations, which the service refuses
 * (AuthFailure.SignatureFailure or TokenFailure). Every call the component makes is signed with one generation.
 */
class TemporaryCredentialsRefreshTest extends CamelTestSupport {

    private static final String TOPIC = "pulsar-sts/ns/orders";
    private static final int GENERATIONS = 16;
    private static final int MESSAGES = 3000;

    @RegisterExtension
    static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(generations(TdmqEmulator.builder())
            .noRateLimit().topic(TOPIC));

    /** Every generation stays valid for an hour, as an STS key does after the next is issued: only mixing is wrong. */
    private static TdmqEmulatorBuilder generations(TdmqEmulatorBuilder builder) {
        for (int generation = 0; generation < GENERATIONS; generation++) {
            builder.addTemporaryCredentials(id(generation), key(generation), token(generation),
                    Instant.now().plusSeconds(3600));
        }
        return builder;
    }

    private static String id(int generation) {
        return "AKIDgeneration" + generation;
    }

    private static String key(int generation) {
        return "key-of-generation-" + generation;
    }

    private static String token(int generation) {
        return "token-of-generation-" + generation;
    }

    /**
     * Renews itself the way the SDK's own temporary credentials do: from inside its getters (here through the SDK's
     * Credential.Updater hook), setting the id, the key and the token one after another, every half millisecond.
     */
    private static Credential renewingEveryHalfMillisecond(AtomicInteger renewals) {
        long start = System.nanoTime();
        AtomicInteger current = new AtomicInteger();
        return new Credential(id(0), key(0), token(0), credential -> {
            int due = (int) ((System.nanoTime() - start) / 500_000 % GENERATIONS);
            if (current.getAndSet(due) != due) {
                renewals.incrementAndGet();
                credential.setSecretId(id(due));
                credential.setSecretKey(key(due));
                credential.setToken(token(due));
            }
        });
    }

    @Test
    void aCredentialRenewedUnderManyCallsInFlightSignsEachCallWithOneGeneration() {
        AtomicInteger renewals = new AtomicInteger();
        Credential renewing = renewingEveryHalfMillisecond(renewals);
        context.getRegistry().bind("renewing", (CredentialsProvider) () -> renewing);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            bodies.add("order " + i);
        }

        Exchange exchange = template.request("tdmq-http:" + TOPIC + "?region=" + emulator.get().region()
                                             + "&endpoint=" + emulator.get().endpoint()
                                             + "&credentialsProvider=#renewing&maxSendsInFlight=128&maxRetries=0"
                                             + "&maxRequestsPerSecond=0", e -> e.getMessage().setBody(bodies));

        assertThat(renewals.get()).as("the credential renewed itself while the calls ran").isGreaterThan(20);
        assertThat(exchange.getException()).as("no call signed with two generations").isNull();
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isEqualTo(MESSAGES);
    }

    @Test
    void aCallKeepsItsGenerationWhenTheCredentialRenewsDuringIt() throws Exception {
        Credential source = new Credential(id(0), key(0), token(0));
        ConsistentCredential consistent = new ConsistentCredential(source);

        List<String> seen = consistent.during(() -> {
            String secretId = consistent.getSecretId();
            source.setSecretId(id(1));
            source.setSecretKey(key(1));
            source.setToken(token(1));
            return List.of(secretId, consistent.getSecretKey(), consistent.getToken());
        });

        assertThat(seen).containsExactly(id(0), key(0), token(0));
        assertThat(List.of(consistent.getSecretId(), consistent.getSecretKey(), consistent.getToken()))
                .as("the next call").containsExactly(id(1), key(1), token(1));
    }

    @Test
    void aRenewalInTheMiddleOfAReadIsNotMixedIntoTheGenerationRead() {
        AtomicInteger reads = new AtomicInteger();
        // Renews when the SDK asks for the SecretKey of the first read, after the SecretId was read.
        Credential source = new Credential(id(0), key(0), token(0), credential -> {
            if (reads.incrementAndGet() == 2) {
                credential.setSecretId(id(1));
                credential.setSecretKey(key(1));
                credential.setToken(token(1));
            }
        });

        ConsistentCredential.Generation read = new ConsistentCredential(source).current();

        assertThat(read).isEqualTo(ConsistentCredential.Generation.of(new Credential(id(1), key(1), token(1))));
        assertThat(read.toString()).doesNotContain(key(1)).doesNotContain(token(1));
    }
}
