package io.github.tdmqhttp.camel.doctor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import io.github.tdmqhttp.camel.SubInitialPosition;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.testing.EmulatedTdmqHttp;
import io.github.tdmqhttp.emulator.TdmqEmulator;
import io.github.tdmqhttp.emulator.TdmqEmulatorBuilder;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.model.SubscriptionStats;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure the doctor knows, made by the emulator, with the exact line and fix the user sees. Request ids and
 * times vary from run to run: the lines are compared with them replaced by {@code <id>} and {@code <n>}.
 */
class TdmqHttpDoctorTest {

    private static final String TOPIC = "pulsar-doctor/default/orders";
    private static final String SUBSCRIPTION = "orders-sub";

    private TdmqEmulator emulator;

    @AfterEach
    void stopEmulator() {
        if (emulator != null) {
            emulator.stop();
        }
    }

    private TdmqEmulator start(Consumer<TdmqEmulatorBuilder> customise) {
        TdmqEmulatorBuilder builder = TdmqEmulator.builder().receiveWait(Duration.ofMillis(200)).topic(TOPIC, 1);
        customise.accept(builder);
        emulator = builder.build().start();
        return emulator;
    }

    private TdmqHttpConfiguration configuration() {
        TdmqHttpConfiguration configuration = new TdmqHttpConfiguration();
        configuration.setEndpoint(emulator.endpoint());
        configuration.setRegion(emulator.region());
        configuration.setSecretId(emulator.secretId());
        configuration.setSecretKey(emulator.secretKey());
        configuration.setTopic(TOPIC);
        configuration.setSubscription(SUBSCRIPTION);
        configuration.setReadTimeout(10_000);
        return configuration;
    }

    private static DoctorReport run(TdmqHttpConfiguration configuration, DoctorOptions options) {
        return new TdmqHttpDoctor(configuration, new DefaultCamelContext()).run(options);
    }

    /** The lines with what varies from run to run replaced. */
    private static List<String> lines(DoctorReport report) {
        return report.lines().stream().map(TdmqHttpDoctorTest::normalise).toList();
    }

    private static String line(DoctorReport report, String check) {
        return normalise(report.check(check).orElseThrow(() -> new AssertionError("no check " + check + " in "
                + report.lines())).line());
    }

    private static String normalise(String line) {
        return line.replaceAll("RequestId [0-9a-fA-F-]+", "RequestId <id>")
                .replaceAll("\\d+ ms", "<n> ms")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>")
                .replaceAll("message id [0-9:-]+", "message id <id>")
                .replaceAll("tdmq-http doctor [0-9a-f-]+", "tdmq-http doctor <uuid>");
    }

    @Test
    void aHealthyConfigurationPassesEveryCheckAndLeavesNothingBehind() {
        start(builder -> { });
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS.withSend(true));

        assertThat(lines(report)).containsExactly(
                "OK   endpoint: http://127.0.0.1:<port> (region ap-guangzhou) answered a signed call in <n> ms"
                + " (plain HTTP, clock within 5 minutes)",
                "OK   keys: accepted: the signature is valid and the SecretId known (keys from the secretId and"
                + " secretKey options)",
                "OK   action SendMessages: allowed (a call without parameters passed the signature and CAM checks;"
                + " nothing was sent or received)",
                "OK   action ReceiveMessage: allowed (a call without parameters passed the signature and CAM checks;"
                + " nothing was sent or received)",
                "OK   action AcknowledgeMessage: allowed (a call without parameters passed the signature and CAM"
                + " checks; nothing was sent or received)",
                "OK   topic: pulsar-doctor/default/orders exists, is partitioned and its cluster pulsar-doctor is in"
                + " region ap-guangzhou",
                "OK   producer: sent one message to pulsar-doctor/default/orders with no role key and no"
                + " producerName (SendMessages, message id <id>)",
                "OK   subscription: orders-sub receives from pulsar-doctor/default/orders; if the receive created"
                + " it, it starts at Earliest (subInitialPosition), else it kept its position (the HTTP API does"
                + " not tell which); no message was waiting",
                "OK   measured: round trip <n> ms, an empty receive waited <n> ms, sent to received <n> ms,"
                + " AcknowledgeMessage <n> ms",
                "OK   left behind: nothing: the doctor's one message was received back and acknowledged");
        assertThat(report.passed()).isTrue();
        SubscriptionStats stats = emulator.broker().subscriptionStats(TOPIC, SUBSCRIPTION);
        assertThat(stats.acked()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.backlog()).isZero();
    }

    @Test
    void withoutSendItSendsNothingAndLeavesWhatItReceivesUnacknowledged() {
        start(builder -> { });
        emulator.publish(TOPIC, "an order of someone else");
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS);

        assertThat(line(report, "producer")).isEqualTo("SKIP producer: the role key and producerName are checked"
                + " by sending one message, which the doctor does only when told to (--send)");
        assertThat(line(report, "subscription")).endsWith("; a message was waiting");
        assertThat(line(report, "left behind")).isEqualTo("OK   left behind: nothing: the doctor sent no message;"
                + " 1 message of others received and left unacknowledged: TDMQ delivers them again after the"
                + " subscription's ack timeout");
        assertThat(report.passed()).isTrue();
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isEqualTo(1);
        SubscriptionStats stats = emulator.broker().subscriptionStats(TOPIC, SUBSCRIPTION);
        assertThat(stats.acked()).isZero();
        assertThat(stats.inFlight()).isEqualTo(1);
    }

    @Test
    void anEndpointThatRefusesConnectionsIsUnreachable() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        emulator.refuseConnections(Duration.ofSeconds(30));
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "endpoint")).startsWith("FAIL endpoint: cannot connect to http://127.0.0.1:<port>"
                + " (region ap-guangzhou): ConnectException: ").endsWith(" Fix: check the endpoint option (default"
                + " tdmq.tencentcloudapi.com; tdmq.intl.tencentcloudapi.com on the international site), DNS, the"
                + " firewall, and the proxy options");
        assertThat(line(report, "keys")).isEqualTo("SKIP keys: not checked: fix the line above first");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void anUntrustedCertificateFailsTheTlsHandshake() {
        start(TdmqEmulatorBuilder::https);
        TdmqHttpConfiguration configuration = configuration();
        configuration.setEndpoint(emulator.httpsEndpoint());
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "endpoint")).startsWith("FAIL endpoint: the TLS handshake with"
                + " https://127.0.0.1:<port> (region ap-guangzhou) failed: ").endsWith(" Fix: trust the server's"
                + " certificate: give sslContextParameters with the CA that signed it (a private endpoint's, an"
                + " inspecting proxy's), or check that the endpoint speaks HTTPS");
    }

    @Test
    void aCertificateTrustedThroughSslContextParametersPasses() {
        start(TdmqEmulatorBuilder::https);
        TdmqHttpConfiguration configuration = configuration();
        configuration.setEndpoint(emulator.httpsEndpoint());
        configuration.setSslContextParameters(EmulatedTdmqHttp.trustingTheEmulator(emulator));
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "endpoint")).isEqualTo("OK   endpoint: https://127.0.0.1:<port> (region ap-guangzhou)"
                + " answered a signed call in <n> ms (TLS trusted, clock within 5 minutes)");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void anEmptyReceiveHeldLongerThanTheReadTimeoutNamesReadTimeout() {
        start(builder -> builder.receiveWait(Duration.ofMillis(2500)));
        TdmqHttpConfiguration configuration = configuration();
        configuration.setReadTimeout(1000);
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "action ReceiveMessage")).startsWith("OK   ");
        assertThat(line(report, "topic")).startsWith("FAIL topic: ReceiveMessage on pulsar-doctor/default/orders"
                + " got no answer within readTimeout (1 s): ").endsWith(" Fix: raise readTimeout above the time the"
                + " service holds an empty receive (TDMQ does not document it; run the doctor with a longer"
                + " readTimeout to see it under measured)");
    }

    @Test
    void aClockMoreThanFiveMinutesOffIsSignatureExpire() {
        start(builder -> builder.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(7))));
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS);

        assertThat(line(report, "endpoint")).isEqualTo("FAIL endpoint: http://127.0.0.1:<port> (region ap-guangzhou)"
                + " answered, but this machine's clock is more than 5 minutes off Tencent Cloud's"
                + " (AuthFailure.SignatureExpire) Fix: synchronise the clock with NTP (timedatectl set-ntp true, or"
                + " chrony)");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aRegionTdmqDoesNotServe() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        configuration.setRegion("ap-atlantis");
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "endpoint")).isEqualTo("FAIL endpoint: TDMQ does not serve region ap-atlantis"
                + " (UnsupportedRegion) Fix: set region to the region of your TDMQ cluster, as the TDMQ console"
                + " shows it (ap-guangzhou, ap-shanghai, ap-singapore, ...)");
    }

    @Test
    void aWrongSecretKeyIsASignatureFailure() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        configuration.setSecretKey("not-the-key");
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "keys")).isEqualTo("FAIL keys: the signature does not match: the secretKey is not"
                + " the key of this SecretId (AuthFailure.SignatureFailure; keys from the secretId and secretKey"
                + " options) Fix: set secretKey to the SecretKey shown with this SecretId in the CAM console (API"
                + " keys)");
        assertThat(line(report, "actions")).isEqualTo("SKIP actions: not checked: fix the line above first");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void anUnknownSecretIdIsSecretIdNotFound() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        configuration.setSecretId("AKIDUNKNOWNTOTHESERVICE");
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "keys")).isEqualTo("FAIL keys: Tencent Cloud does not know this SecretId"
                + " (AuthFailure.SecretIdNotFound; keys from the secretId and secretKey options) Fix: check"
                + " secretId: the key may be deleted or disabled; create an API key in the CAM console");
    }

    @Test
    void anExpiredSessionTokenIsTokenFailure() {
        start(builder -> builder.addTemporaryCredentials("AKIDTEMPORARY", "temporary-key", "session-token-1",
                Instant.now().minusSeconds(60)));
        TdmqHttpConfiguration configuration = configuration();
        configuration.setSecretId("AKIDTEMPORARY");
        configuration.setSecretKey("temporary-key");
        configuration.setSessionToken("session-token-1");
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "keys")).isEqualTo("FAIL keys: the session token is wrong or expired"
                + " (AuthFailure.TokenFailure; keys from the secretId and secretKey options with a sessionToken)"
                + " Fix: refresh the temporary credentials (sessionToken, TENCENTCLOUD_SESSION_TOKEN), or use"
                + " permanent API keys");
    }

    @Test
    void noCredentialsAnywhereSaysWhereTheyAreLookedFor() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        configuration.setSecretId(null);
        configuration.setSecretKey(null);
        configuration.setCredentialsProvider(() -> null);
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(lines(report)).startsWith(
                "SKIP endpoint: not checked: a signed call needs keys",
                "FAIL keys: no Tencent Cloud credentials found: none in the options, none in TENCENTCLOUD_SECRET_ID"
                + " and TENCENTCLOUD_SECRET_KEY, none in ~/.tencentcloud/credentials, no CVM role Fix: set secretId"
                + " and secretKey (camel.component.tdmq-http.secret-id and .secret-key), or the environment"
                + " variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or secret_id and secret_key in the"
                + " [default] section of ~/.tencentcloud/credentials; on a CVM instance, attach a CAM role to it");
    }

    @Test
    void anActionTheCamPolicyDeniesNamesTheCamAction() {
        start(builder -> builder.denyActions(TdmqEmulator.DEFAULT_SECRET_ID, "AcknowledgeMessage"));
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS);

        assertThat(line(report, "action ReceiveMessage")).startsWith("OK   ");
        assertThat(line(report, "action AcknowledgeMessage")).isEqualTo("FAIL action AcknowledgeMessage: denied to"
                + " these keys (AuthFailure.UnauthorizedOperation, RequestId <id>) Fix: add tdmq:AcknowledgeMessage"
                + " to the CAM policy of these keys (a resource-level action: allow it on qcs::tdmq::uin/<your"
                + " uin>:AckTopic/<topic>). If the policy allows it, the HTTP message API is closed to the account:"
                + " Tencent restricts new use of the HTTP message API (product doc 1110/75648): ask Tencent Cloud"
                + " support to open it to the account, or use camel-pulsar over TDMQ's Pulsar protocol");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aDeniedSendActionWhenBatchingNamesSendBatchMessages() {
        start(builder -> builder.denyActions(TdmqEmulator.DEFAULT_SECRET_ID, "SendBatchMessages"));
        TdmqHttpConfiguration configuration = configuration();
        configuration.setBatching(true);
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS.withSend(true));

        assertThat(line(report, "action SendBatchMessages")).startsWith("FAIL action SendBatchMessages: denied to"
                + " these keys (AuthFailure.UnauthorizedOperation, RequestId <id>) Fix: add tdmq:SendBatchMessages"
                + " to the CAM policy of these keys. If the policy allows it");
        assertThat(line(report, "producer")).isEqualTo("SKIP producer: not checked: SendBatchMessages is denied");
        assertThat(emulator.broker().topicStats(TOPIC).sent()).isZero();
    }

    @Test
    void anHttpApiClosedToTheAccountSaysSo() {
        start(builder -> { });
        emulator.faults().add(FaultRule.errorCode("UnsupportedOperation",
                "The HTTP API is not available to this account.").forAction("ReceiveMessage"));
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS);

        assertThat(line(report, "action ReceiveMessage")).isEqualTo("FAIL action ReceiveMessage: the HTTP message"
                + " API is not open to this account (UnsupportedOperation, RequestId <id>: The HTTP API is not"
                + " available to this account.) Fix: Tencent restricts new use of the HTTP message API (product doc"
                + " 1110/75648): ask Tencent Cloud support to open it to the account, or use camel-pulsar over"
                + " TDMQ's Pulsar protocol");
        assertThat(line(report, "subscription")).isEqualTo("SKIP subscription: orders-sub not checked: fix the lines"
                + " above first");
    }

    @Test
    void aProbeAnsweredWithAnInternalErrorLeavesThePermissionUnknown() {
        start(builder -> { });
        emulator.faults().add(FaultRule.errorCode("InternalError", "Something broke.").forAction("AcknowledgeMessage")
                .times(1));
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS);

        assertThat(line(report, "action AcknowledgeMessage")).isEqualTo("WARN action AcknowledgeMessage: not known:"
                + " the call without parameters was answered InternalError, RequestId <id>: Something broke. Fix: run"
                + " the doctor again");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void aMissingTopicIsTopicNotFound() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        configuration.setTopic("pulsar-doctor/default/nope");
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS);

        assertThat(line(report, "topic")).isEqualTo("FAIL topic: pulsar-doctor/default/nope does not exist in region"
                + " ap-guangzhou (InvalidParameterValue.TopicNotFound, RequestId <id>) Fix: create it in the TDMQ"
                + " console (cluster pulsar-doctor), or correct the topic: cluster-id/namespace/topic");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aClusterOfAnotherRegionIsTenantNotFound() {
        start(builder -> { });
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS.withTopic("pulsar-elsewhere/default/x"));

        assertThat(line(report, "topic")).isEqualTo("FAIL topic: cluster pulsar-elsewhere is not in region"
                + " ap-guangzhou (InvalidParameter.TenantNotFound, RequestId <id>) Fix: set region to the region of"
                + " cluster pulsar-elsewhere (the TDMQ console's cluster list shows it), or correct the cluster id,"
                + " the first part of the topic");
    }

    @Test
    void aNonPartitionedTopicCannotBeReceivedFrom() {
        start(builder -> builder.topic("pulsar-doctor/default/plain", 0));
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS.withTopic("pulsar-doctor/default/plain"));

        assertThat(line(report, "topic")).isEqualTo("FAIL topic: pulsar-doctor/default/plain is not partitioned:"
                + " ReceiveMessage works on partitioned topics only (FailedOperation.TopicTypeError, RequestId <id>)"
                + " Fix: receive from a partitioned topic (create one with 1 or more partitions in the TDMQ"
                + " console); sending to this topic works");
    }

    @Test
    void aRoleKeyTheTopicNeedsIsChecked() {
        start(builder -> builder.stringTokens("the-role-key"));
        TdmqHttpConfiguration configuration = configuration();
        configuration.setStringToken("a-wrong-role-key");
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS.withSend(true));

        assertThat(line(report, "producer")).isEqualTo("FAIL producer: the role key is refused"
                + " (InvalidParameter.TokenNotFound, RequestId <id>) Fix: set stringToken to the key of a role"
                + " allowed to produce on the namespace (TDMQ console, Role Management)");
        assertThat(line(report, "left behind")).isEqualTo("OK   left behind: nothing: the doctor sent no message");
    }

    @Test
    void anOutageDuringTheChecksIsNotReportedAsAProblemOfTheKeys() {
        start(builder -> { });
        emulator.faults().add(FaultRule.badGatewayHtml());
        DoctorReport report = run(configuration(), DoctorOptions.DEFAULTS);

        assertThat(line(report, "endpoint")).isEqualTo("FAIL endpoint: http://127.0.0.1:<port> (region ap-guangzhou)"
                + " answered, but not as the TDMQ API (ServerSideError: response code is 502, not 200) Fix: point"
                + " the endpoint option at the TDMQ API (tdmq.tencentcloudapi.com); a proxy or load balancer is"
                + " answering instead");
    }

    @Test
    void theAckTimeoutIsNotMeasuredWithoutASubscription() {
        start(builder -> { });
        TdmqHttpConfiguration configuration = configuration();
        configuration.setSubscription(null);
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS.withSend(true)
                .withMeasureAckTimeout(Duration.ofSeconds(20)));

        assertThat(line(report, "ack timeout")).isEqualTo("SKIP ack timeout: not measured: it takes the doctor's own"
                + " message (--send), a subscription, and the message back on it");
        assertThat(line(report, "topic")).isEqualTo("OK   topic: pulsar-doctor/default/orders exists and its cluster"
                + " pulsar-doctor is in region ap-guangzhou (not checked for receiving: no subscription)");
        assertThat(line(report, "left behind")).startsWith("WARN left behind: the doctor's message ").endsWith(
                " stays on pulsar-doctor/default/orders: no subscription was given to take it back Fix: its consumers"
                + " receive it as a message with the payload \"tdmq-http doctor <uuid>\"; next time name a topic no"
                + " route consumes, or drop it in the route");
    }

    @Test
    void measuresTheAckTimeoutWithItsOwnMessageAndComparesItWithTheOption() {
        start(builder -> builder.ackTimeout(Duration.ofSeconds(1)));
        TdmqHttpConfiguration configuration = configuration();
        configuration.setSubInitialPosition(SubInitialPosition.Latest);
        DoctorReport report = run(configuration, DoctorOptions.DEFAULTS.withSend(true)
                .withMeasureAckTimeout(Duration.ofSeconds(20)));

        assertThat(line(report, "ack timeout")).matches("WARN ack timeout: the subscription delivered the doctor's"
                + " unacknowledged message again after 1(\\.\\d)? s; the component's ackTimeout is 30 s Fix:"
                + " set ackTimeout to 1(\\.\\d)? s or less, so that the consumer never starts a message TDMQ has"
                + " already handed to another consumer");
        assertThat(line(report, "left behind")).isEqualTo("OK   left behind: nothing: the doctor's one message was"
                + " received back and acknowledged");
        assertThat(report.passed()).isTrue();
    }
}
