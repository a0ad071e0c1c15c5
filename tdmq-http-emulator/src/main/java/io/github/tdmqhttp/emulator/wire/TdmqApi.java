package io.github.tdmqhttp.emulator.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.tdmqhttp.emulator.fault.FaultRule;
import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.fault.RateLimiter;
import io.github.tdmqhttp.emulator.model.Broker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The wire layer: the one route of the emulator, a WireMock request filter that answers every non-admin request
 * itself (no stub matching). It checks the request in the service's order — action, body size, version, region,
 * signature, CAM policy —, then applies the rate limit and the fault rules, runs the action on the {@link Broker}, and writes the API 3.0
 * answer, delayed by the configured latency on WireMock's scheduler rather than on a Jetty thread.
 */
public final class TdmqApi implements StubRequestFilterV2 {

    /** The API version of TDMQ this emulator speaks. */
    public static final String VERSION = "2020-02-17";

    /** The regions the service documents for TDMQ. */
    public static final Set<String> REGIONS = Set.of("ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu",
            "ap-chongqing", "ap-nanjing", "ap-hongkong", "ap-singapore", "ap-bangkok", "ap-jakarta", "ap-seoul",
            "ap-tokyo", "ap-shanghai-fsi", "ap-shenzhen-fsi", "eu-frankfurt", "na-ashburn", "na-siliconvalley");

    /** The largest request body the service takes: 10 MB. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final String JSON = "application/json";

    /** The access region of every request that reaches the emulator by an address or the nearest-region endpoint. */
    public static final String LOCAL_ACCESS_REGION = "local";

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder throttled = new LongAdder();
        final LongAdder faultsInjected = new LongAdder();
    }

    private final Faults faults;
    private final RateLimiter rateLimiter;
    private final CredentialStore credentials;
    private final SignatureVerifier signatures;
    private final TdmqActions actions;
    private final JsonAnswers answers;
    private final EnumMap<Action, Counters> counters = new EnumMap<>(Action.class);
    private volatile Duration receiveWait;
    private volatile boolean verifySignatures;
    /** 0 when answers of any size go out. */
    private volatile int maxResponseBytes;

    /**
     * @param credentials        the accepted keys and the actions CAM policies deny them
     * @param stringTokens       role tokens SendMessages and SendBatchMessages must carry; none = no check
     * @param receiveWait        how long a single-message ReceiveMessage waits before FailedOperation.ReceiveTimeout
     * @param verifySignatures   whether to check the TC3-HMAC-SHA256 signature (and so the CAM policies)
     * @param shareProducerNames whether concurrent sends may use one ProducerName (a leniency: the service fails
     *                           all but one with FailedOperation.CreateProducerError)
     */
    public TdmqApi(Broker broker, Faults faults, RateLimiter rateLimiter, CredentialStore credentials, Clock clock,
                   Set<String> stringTokens, Duration receiveWait, boolean verifySignatures,
                   boolean shareProducerNames) {
        ObjectMapper json = new ObjectMapper();
        this.faults = faults;
        this.rateLimiter = rateLimiter;
        this.credentials = credentials;
        this.signatures = new SignatureVerifier(credentials, clock);
        this.actions = new TdmqActions(broker, json, stringTokens, this::receiveWait, shareProducerNames);
        this.answers = new JsonAnswers();
        for (Action action : Action.values()) {
            counters.put(action, new Counters());
        }
        receiveWait(receiveWait);
        this.verifySignatures = verifySignatures;
    }

    @Override
    public String getName() {
        return "tdmq-http-api";
    }

    /** How long a single-message ReceiveMessage waits for a message. */
    public Duration receiveWait() {
        return receiveWait;
    }

    public void receiveWait(Duration receiveWait) {
        if (receiveWait == null || receiveWait.isNegative()) {
            throw new IllegalArgumentException("receiveWait must not be negative, was " + receiveWait);
        }
        this.receiveWait = receiveWait;
    }

    public boolean verifySignatures() {
        return verifySignatures;
    }

    public void verifySignatures(boolean verifySignatures) {
        this.verifySignatures = verifySignatures;
    }

    /** The largest answer body, in bytes, before ResponseSizeLimitExceeded; 0 when off. */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Sets the largest answer body; 0 turns the check off. */
    public void maxResponseBytes(int maxResponseBytes) {
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("maxResponseBytes must not be negative, was " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
    }

    /** Counters per action, all four always present, in the order of the actions. */
    public Map<String, RequestStats> requestStats() {
        Map<String, RequestStats> stats = new LinkedHashMap<>();
        counters.forEach((action, count) -> stats.put(action.actionName(), new RequestStats(action.actionName(),
                count.requests.sum(), count.throttled.sum(), count.faultsInjected.sum())));
        return stats;
    }

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
        if (!RequestMethod.POST.equals(request.getMethod()) || !isRoot(request.getUrl())) {
            return RequestFilterAction.stopWith(json(new ApiAnswer.Error(ErrorCodes.INVALID_PARAMETER,
                    "The TDMQ API is served at POST / with a JSON body; the emulator's admin API is under"
                            + " /__admin/tdmq/."), JsonAnswers.newRequestId()).build());
        }
        String actionName = request.getHeader("X-TC-Action");
        Action action = Action.byName(actionName);
        ApiAnswer answer = null;
        FaultRule fault = null;
        // Drawn first: a ProducerName stays held until the answer leaves.
        long delay = faults.latency().nextDelayMillis();
        try {
            String secretId = checkRequest(request, actionName, action);
            RateLimiter.Quota quota = new RateLimiter.Quota(action.actionName(), secretId,
                    accessRegion(request.getHeader("Host")));
            if (!rateLimiter.tryAcquire(quota)) {
                counters.get(action).throttled.increment();
                throw new ApiException(ErrorCodes.REQUEST_LIMIT_EXCEEDED, "Your request rate for " + actionName
                        + " exceeds the frequency limit of " + rateLimiter.limit() + " requests per second for"
                        + " SecretId `" + quota.secretId() + "` through access region " + quota.accessRegion()
                        + ". Please reduce the frequency of calls.");
            }
            fault = faults.pick(action.actionName());
            if (fault != null) {
                counters.get(action).faultsInjected.increment();
            }
            if (fault == null || fault.isAfterProcessing()) {
                answer = refuseIfTooLarge(actions.execute(action, request.getBody(), delay));
            }
        } catch (ApiException refused) {
            answer = ApiAnswer.error(refused);
        }
        String requestId = JsonAnswers.newRequestId();
        ResponseDefinitionBuilder response = fault == null ? json(answer, requestId) : injected(fault, action, answer,
                requestId);
        if (delay > 0) {
            response.withFixedDelay((int) Math.min(delay, Integer.MAX_VALUE));
        }
        return RequestFilterAction.stopWith(response.build());
    }

    /**
     * The answer, or ResponseSizeLimitExceeded in the usual error shape when its body would be larger than
     * {@link #maxResponseBytes}. The action has taken effect: a receive's messages are in flight and come back after
     * the ack timeout.
     */
    private ApiAnswer refuseIfTooLarge(ApiAnswer answer) {
        int limit = maxResponseBytes;
        if (limit == 0 || !(answer instanceof ApiAnswer.Success)) {
            return answer;
        }
        int size = answers.write(answer, JsonAnswers.newRequestId()).length;
        if (size <= limit) {
            return answer;
        }
        return new ApiAnswer.Error(ErrorCodes.RESPONSE_SIZE_LIMIT_EXCEEDED, "The answer is " + size + " bytes, over"
                + " the limit of " + limit + " bytes this emulator was given (maxResponseBytes). Ask for less at a time"
                + " (MaxNumMessages, MaxNumBytes).");
    }

    /**
     * The region of the API server a request reached, which the service's rate limit counts by ("接入地域": where
     * the request resolved, not the product region in X-TC-Region; rate-limit doc 1278/109059): the region a
     * regional endpoint names ({@code tdmq.ap-shanghai.tencentcloudapi.com}), else {@value #LOCAL_ACCESS_REGION},
     * the emulator's one access point (an address, or the nearest-region endpoint {@code tdmq.tencentcloudapi.com}).
     */
    static String accessRegion(String host) {
        if (host == null) {
            return LOCAL_ACCESS_REGION;
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        String[] labels = name.split("\\.");
        if (labels.length >= 4 && name.endsWith(".tencentcloudapi.com") && labels[1].matches("[a-z]+-[a-z0-9-]+")) {
            return labels[1];
        }
        return LOCAL_ACCESS_REGION;
    }

    /** @return the SecretId the request was signed with, or names when signatures are not checked; null for none */
    private String checkRequest(Request request, String actionName, Action action) throws ApiException {
        if (actionName == null || actionName.isBlank()) {
            throw new ApiException(ErrorCodes.MISSING_PARAMETER, "The request is missing the header `X-TC-Action`.");
        }
        if (action == null) {
            throw new ApiException(ErrorCodes.INVALID_ACTION, "The action `" + actionName
                    + "` does not exist for TDMQ in this emulator; it serves " + Action.names() + ".");
        }
        counters.get(action).requests.increment();
        byte[] body = request.getBody();
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(ErrorCodes.REQUEST_SIZE_LIMIT_EXCEEDED, "The request body is " + body.length
                    + " bytes; the largest request is " + MAX_BODY_BYTES + " bytes (10 MB).");
        }
        String version = request.getHeader("X-TC-Version");
        if (version == null || version.isBlank()) {
            throw new ApiException(ErrorCodes.MISSING_PARAMETER, "The request is missing the header `X-TC-Version`;"
                    + " TDMQ's is " + VERSION + ".");
        }
        if (!VERSION.equals(version)) {
            throw new ApiException(ErrorCodes.NO_SUCH_VERSION, "The API version `" + version
                    + "` does not exist for TDMQ; use " + VERSION + ".");
        }
        String region = request.getHeader("X-TC-Region");
        if (region == null || region.isBlank()) {
            throw new ApiException(ErrorCodes.MISSING_PARAMETER, "The request is missing the header `X-TC-Region`.");
        }
        if (!REGIONS.contains(region)) {
            throw new ApiException(ErrorCodes.UNSUPPORTED_REGION, "The region `" + region
                    + "` is not supported by TDMQ; use one of " + REGIONS.stream().sorted().toList() + ".");
        }
        if (!verifySignatures) {
            return SignatureVerifier.secretIdOf(request.getHeader("Authorization"));
        }
        CredentialStore.Credential signer = signatures.verify(request.getMethod().getName(), "/",
                request::getHeader, request.getBody());
        if (credentials.denies(signer.secretId(), action.actionName())) {
            throw new ApiException(ErrorCodes.UNAUTHORIZED_OPERATION, "The CAM policy of `" + signer.secretId()
                    + "` denies tdmq:" + action.actionName() + ". Grant the key this action in the CAM console.");
        }
        return signer.secretId();
    }

    private ResponseDefinitionBuilder injected(FaultRule fault, Action action, ApiAnswer processed, String requestId) {
        return switch (fault.kind()) {
            case ERROR_CODE -> json(new ApiAnswer.Error(fault.code(), fault.message()), requestId);
            case HTTP_STATUS -> new ResponseDefinitionBuilder()
                    .withStatus(fault.status())
                    .withHeader("Content-Type", fault.contentType())
                    .withBody(fault.body().getBytes(StandardCharsets.UTF_8));
            case CONNECTION_RESET -> new ResponseDefinitionBuilder().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case EMPTY_BODY -> new ResponseDefinitionBuilder()
                    .withStatus(200)
                    .withHeader("Content-Type", JSON)
                    .withBody(new byte[0]);
            case TRUNCATED_JSON -> {
                byte[] whole = answers.write(processed != null ? processed : TdmqActions.emptySuccess(action),
                        requestId);
                yield new ResponseDefinitionBuilder()
                        .withStatus(200)
                        .withHeader("Content-Type", JSON)
                        .withBody(Arrays.copyOf(whole, whole.length / 2));
            }
            case ERROR_MSG -> {
                ApiAnswer.Success shape = processed instanceof ApiAnswer.Success success
                        ? success : TdmqActions.emptySuccess(action);
                yield json(shape.withErrorMsg(fault.message()), requestId);
            }
        };
    }

    private ResponseDefinitionBuilder json(ApiAnswer answer, String requestId) {
        return new ResponseDefinitionBuilder()
                .withStatus(200)
                .withHeader("Content-Type", JSON)
                .withBody(answers.write(answer, requestId));
    }

    private static boolean isRoot(String url) {
        return url.equals("/") || url.startsWith("/?");
    }
}
