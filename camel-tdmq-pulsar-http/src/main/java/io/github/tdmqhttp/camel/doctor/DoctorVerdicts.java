package io.github.tdmqhttp.camel.doctor;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import io.github.tdmqhttp.camel.TdmqHttpErrorCodes;
import io.github.tdmqhttp.camel.doctor.DoctorCalls.Answer;
import io.github.tdmqhttp.camel.doctor.DoctorCalls.Failure;

import static io.github.tdmqhttp.camel.doctor.DoctorCalls.ACKNOWLEDGE_MESSAGE;
import static io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor.ACTION;
import static io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor.ENDPOINT;
import static io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor.KEYS;
import static io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor.PRODUCER;
import static io.github.tdmqhttp.camel.doctor.TdmqHttpDoctor.TOPIC;
import static org.apache.camel.util.ObjectHelper.isEmpty;

/**
 * What an answer of TDMQ means for one check: the line the user reads and the fix, by error code. The doctor's run
 * ({@link TdmqHttpDoctor}) decides which calls to make and in which order; these functions only read their answers.
 */
final class DoctorVerdicts {

    private static final String CAM_DOC = "Tencent restricts new use of the HTTP message API (product doc"
                                          + " 1110/75648): ask Tencent Cloud support to open it to the account, or"
                                          + " use camel-pulsar over TDMQ's Pulsar protocol";

    private DoctorVerdicts() {
    }

    /** Check 1, from the first signed call's answer: OK when the TDMQ API answered it. */
    static DoctorCheck endpoint(Answer answer, String endpoint, String region) {
        String where = endpoint + " (region " + region + ")";
        return switch (answer.failure()) {
            case UNREACHABLE -> DoctorCheck.fail(ENDPOINT, "cannot connect to " + where + ": "
                    + answer.message(), "check the endpoint option (default tdmq.tencentcloudapi.com;"
                    + " tdmq.intl.tencentcloudapi.com on the international site), DNS, the firewall, and the"
                    + " proxy options");
            case TLS -> DoctorCheck.fail(ENDPOINT, "the TLS handshake with " + where + " failed: "
                    + answer.message(), "trust the server's certificate: give sslContextParameters with the CA"
                    + " that signed it (a private endpoint's, an inspecting proxy's), or check that the endpoint"
                    + " speaks HTTPS");
            case NO_ANSWER -> DoctorCheck.fail(ENDPOINT, where + " took the connection but gave no"
                    + " answer: " + answer.message(), "check the endpoint and proxy options; on a slow network"
                    + " raise readTimeout");
            case NOT_THE_API -> DoctorCheck.fail(ENDPOINT, where + " answered, but not as the TDMQ"
                    + " API (" + answer.code() + ": " + answer.message() + ")", "point the endpoint option at"
                    + " the TDMQ API (tdmq.tencentcloudapi.com); a proxy or load balancer is answering instead");
            default -> {
                if (answer.refusedWith("AuthFailure.SignatureExpire")) {
                    yield DoctorCheck.fail(ENDPOINT, where + " answered, but this machine's clock is more"
                            + " than 5 minutes off Tencent Cloud's (AuthFailure.SignatureExpire)",
                            "synchronise the clock with NTP (timedatectl set-ntp true, or chrony)");
                }
                if (answer.refusedWith("UnsupportedRegion")) {
                    yield DoctorCheck.fail(ENDPOINT, "TDMQ does not serve region " + region
                            + " (UnsupportedRegion)", "set region to the region of your TDMQ cluster, as the"
                            + " TDMQ console shows it (ap-guangzhou, ap-shanghai, ap-singapore, ...)");
                }
                yield DoctorCheck.ok(ENDPOINT, where + " answered a signed call in " + answer.millis()
                        + " ms (" + (endpoint.startsWith("https://") ? "TLS trusted" : "plain HTTP")
                        + ", clock within 5 minutes)");
            }
        };
    }

    /** Check 2, from the same answer: FAIL when the keys were refused. */
    static DoctorCheck keys(Answer answer, TdmqHttpConfiguration configuration) {
        String source = credentialSource(configuration);
        String code = answer.failure() == Failure.REFUSED ? answer.code() : "";
        return switch (code) {
            case "AuthFailure.SignatureFailure" -> DoctorCheck.fail(KEYS, "the signature does not match: the"
                    + " secretKey is not the key of this SecretId (AuthFailure.SignatureFailure; keys from "
                    + source + ")", "set secretKey to the SecretKey shown with this SecretId in the CAM console"
                    + " (API keys)");
            case "AuthFailure.SecretIdNotFound" -> DoctorCheck.fail(KEYS, "Tencent Cloud does not know this"
                    + " SecretId (AuthFailure.SecretIdNotFound; keys from " + source + ")", "check secretId: the"
                    + " key may be deleted or disabled; create an API key in the CAM console");
            case "AuthFailure.InvalidSecretId" -> DoctorCheck.fail(KEYS, "the SecretId is malformed"
                    + " (AuthFailure.InvalidSecretId; keys from " + source + ")", "check secretId: the SecretId"
                    + " of an API key starts with AKID");
            case "AuthFailure.TokenFailure" -> DoctorCheck.fail(KEYS, "the session token is wrong or expired"
                    + " (AuthFailure.TokenFailure; keys from " + source + ")", "refresh the temporary credentials"
                    + " (sessionToken, TENCENTCLOUD_SESSION_TOKEN), or use permanent API keys");
            case "AuthFailure.InvalidAuthorization" -> DoctorCheck.fail(KEYS, "the Authorization header is"
                    + " refused (AuthFailure.InvalidAuthorization)", "check secretId and the endpoint option:"
                    + " the signature names the service before the first dot of the endpoint");
            default -> code.startsWith("AuthFailure.") && !isUnauthorized(code)
                    ? DoctorCheck.fail(KEYS, "the keys are refused (" + answer.quoted() + ": "
                            + answer.message() + ")", fix(code, "check secretId, secretKey and sessionToken"))
                    : DoctorCheck.ok(KEYS, "accepted: the signature is valid and the SecretId known"
                            + (isEmpty(configuration.getSessionToken()) ? "" : ", the session token valid")
                            + " (keys from " + source + ")");
        };
    }

    private static String credentialSource(TdmqHttpConfiguration configuration) {
        if (!isEmpty(configuration.getSecretId())) {
            return "the secretId and secretKey options" + (isEmpty(configuration.getSessionToken()) ? ""
                    : " with a sessionToken");
        }
        if (configuration.getCredentialsProvider() != null) {
            return "the credentialsProvider bean";
        }
        return "the SDK's default credential chain";
    }

    /** Check 3, from a call of {@code action} without parameters: FAIL when CAM or the account refuse it. */
    static DoctorCheck action(String action, Answer answer) {
        String name = ACTION + action;
        if (answer.failure() == Failure.REFUSED && isUnauthorized(answer.code())) {
            return DoctorCheck.fail(name, "denied to these keys (" + answer.quoted() + ")", camFix(action));
        }
        if (answer.failure() == Failure.REFUSED && isClosedApi(answer.code())) {
            return DoctorCheck.fail(name, "the HTTP message API is not open to this account ("
                    + answer.quoted() + ": " + answer.message() + ")", CAM_DOC);
        }
        if (answer.failure() != Failure.NONE && answer.failure() != Failure.REFUSED) {
            return DoctorCheck.fail(name, "no answer (" + answer.code() + ": " + answer.message() + ")",
                    fix(answer.code(), "try again; check the network"));
        }
        String code = answer.failure() == Failure.REFUSED ? answer.code() : "";
        if (!code.isEmpty() && !code.startsWith("MissingParameter") && !code.startsWith("InvalidParameter")
            && !code.startsWith("UnknownParameter") && !code.startsWith("FailedOperation.")) {
            // Throttled, an internal error: the call was not refused for its missing parameters, so CAM's answer
            // is not known.
            return DoctorCheck.warn(name, "not known: the call without parameters was answered "
                    + answer.quoted() + ": " + answer.message(), fix(code, "run the doctor again"));
        }
        return DoctorCheck.ok(name, "allowed (a call without parameters passed the signature and CAM"
                + " checks; nothing was sent or received)");
    }

    /**
     * Check 4, from a receive on the topic ({@code byReceive}) or a send to it: OK when it is usable, SKIP when the
     * send was refused for its producer (the producer check says why), FAIL otherwise.
     */
    static DoctorCheck topic(Answer answer, boolean byReceive, String topic, String region,
                             TdmqHttpConfiguration configuration) {
        String cluster = topic.contains("/") ? topic.substring(0, topic.indexOf('/')) : topic;
        if (answer.succeeded() || answer.refusedWith(TdmqHttpErrorCodes.RECEIVE_TIMEOUT)) {
            return DoctorCheck.ok(TOPIC, topic + " exists" + (byReceive ? ", is partitioned" : "")
                    + " and its cluster " + cluster + " is in region " + region
                    + (byReceive ? "" : " (not checked for receiving: no subscription)"));
        }
        if (byReceive && answer.failure() == Failure.NO_ANSWER) {
            return DoctorCheck.fail(TOPIC, "ReceiveMessage on " + topic + " got no answer within readTimeout ("
                    + seconds(configuration.getReadTimeout()) + "): " + answer.message(), "raise readTimeout above"
                    + " the time the service holds an empty receive (TDMQ does not document it; run the doctor"
                    + " with a longer readTimeout to see it under measured)");
        }
        String code = answer.failure() == Failure.REFUSED ? answer.code() : "";
        if (!byReceive && (code.equals("InvalidParameter.TokenNotFound")
                           || code.equals("FailedOperation.CreateProducerError"))) {
            return DoctorCheck.skip(TOPIC, topic + " not checked: the send was refused before it (see"
                    + " producer)");
        }
        return switch (code) {
            case "InvalidParameterValue.TopicNotFound" -> DoctorCheck.fail(TOPIC, topic + " does not exist in"
                    + " region " + region + " (" + answer.quoted() + ")", "create it in the TDMQ console"
                    + " (cluster " + cluster + "), or correct the topic: cluster-id/namespace/topic");
            case "InvalidParameter.TenantNotFound" -> DoctorCheck.fail(TOPIC, "cluster " + cluster + " is not"
                    + " in region " + region + " (" + answer.quoted() + ")", "set region to the region of"
                    + " cluster " + cluster + " (the TDMQ console's cluster list shows it), or correct the"
                    + " cluster id, the first part of the topic");
            case "FailedOperation.TopicTypeError" -> DoctorCheck.fail(TOPIC, topic + " is not partitioned:"
                    + " ReceiveMessage works on partitioned topics only (" + answer.quoted() + ")", "receive"
                    + " from a partitioned topic (create one with 1 or more partitions in the TDMQ console);"
                    + " sending to this topic works");
            default -> isUnauthorized(code)
                    ? DoctorCheck.fail(TOPIC, answer.action() + " on " + topic + " is denied to these keys ("
                            + answer.quoted() + ")", camFix(answer.action()))
                    : DoctorCheck.fail(TOPIC, answer.action() + " on " + topic + " failed (" + answer.code()
                            + ": " + answer.message() + ")", fix(answer.code(), "see the error code"));
        };
    }

    /** Check 4's second line, from the doctor's own send: whether the role key and producerName are accepted. */
    static DoctorCheck producer(Answer answer, String topic, TdmqHttpConfiguration configuration) {
        String token = isEmpty(configuration.getStringToken()) ? "no role key" : "the role key";
        String producerName = configuration.getProducerName();
        String name = isEmpty(producerName) ? "no producerName" : "producerName " + producerName;
        if (answer.succeeded()) {
            return DoctorCheck.ok(PRODUCER, "sent one message to " + topic + " with " + token + " and "
                    + name + " (" + answer.action() + ", message id " + answer.messageId() + ")");
        }
        String code = answer.failure() == Failure.REFUSED ? answer.code() : "";
        return switch (code) {
            case "InvalidParameter.TokenNotFound" -> DoctorCheck.fail(PRODUCER, (isEmpty(configuration
                    .getStringToken()) ? "the topic needs a role key and none is set" : "the role key is"
                    + " refused") + " (" + answer.quoted() + ")", "set stringToken to the key of a role allowed"
                    + " to produce on the namespace (TDMQ console, Role Management)");
            case "FailedOperation.CreateProducerError" -> DoctorCheck.fail(PRODUCER, "TDMQ could not create"
                    + " the producer (" + answer.quoted() + ")", isEmpty(producerName)
                    ? "usually transient: run the doctor again" : "producerName " + producerName + " is in use"
                    + " by another producer: leave producerName unset, or give each producer its own");
            default -> isUnauthorized(code)
                    ? DoctorCheck.fail(PRODUCER, answer.action() + " to " + topic + " is denied to these keys ("
                            + answer.quoted() + ")", camFix(answer.action()))
                    : DoctorCheck.fail(PRODUCER, answer.action() + " to " + topic + " failed ("
                            + answer.code() + ": " + answer.message() + ")", fix(answer.code(),
                            "see the error code"));
        };
    }

    /** A duration as people read it here: "30 s", "1.2 s", "5 min". */
    static String seconds(Duration duration) {
        return seconds(duration.toMillis());
    }

    static String seconds(long millis) {
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return millis / 60_000 + " min";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** The text with every secret of {@code secrets} replaced by ***. */
    static String mask(String text, List<String> secrets) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "***");
        }
        return masked;
    }

    private static boolean isUnauthorized(String code) {
        return code != null && (code.equals("AuthFailure.UnauthorizedOperation")
                                || code.equals("UnauthorizedOperation") || code.startsWith("UnauthorizedOperation."));
    }

    /** Codes with which the service may say that the HTTP message API is closed to an account. */
    private static boolean isClosedApi(String code) {
        return code != null && (code.startsWith("UnsupportedOperation") || code.startsWith("OperationDenied")
                                || code.equals("InvalidAction"));
    }

    private static String camFix(String action) {
        String resource = ACKNOWLEDGE_MESSAGE.equals(action)
                ? " (a resource-level action: allow it on qcs::tdmq::uin/<your uin>:AckTopic/<topic>)" : "";
        return "add tdmq:" + action + " to the CAM policy of these keys" + resource + ". If the policy allows it,"
               + " the HTTP message API is closed to the account: " + CAM_DOC;
    }

    private static String fix(String code, String otherwise) {
        String hint = TdmqHttpErrorCodes.hint(code);
        return hint != null ? hint : otherwise;
    }

    /** The endpoint as a URL, the way the component reaches it: a bare host is reached over HTTPS. */
    static String endpointUrl(String endpoint) {
        String value = isEmpty(endpoint) ? TdmqHttpConfiguration.DEFAULT_ENDPOINT : endpoint.strip();
        return value.contains("://") ? value : "https://" + value;
    }
}
