package io.github.tdmqhttp.emulator.wire;

/** The Tencent Cloud API 3.0 error codes the emulator answers, in one place. */
public final class ErrorCodes {

    public static final String INVALID_ACTION = "InvalidAction";
    public static final String NO_SUCH_VERSION = "NoSuchVersion";
    public static final String MISSING_PARAMETER = "MissingParameter";
    public static final String UNKNOWN_PARAMETER = "UnknownParameter";
    public static final String INVALID_PARAMETER = "InvalidParameter";
    public static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";
    public static final String UNSUPPORTED_REGION = "UnsupportedRegion";
    public static final String REQUEST_LIMIT_EXCEEDED = "RequestLimitExceeded";
    public static final String INTERNAL_ERROR = "InternalError";
    public static final String REQUEST_SIZE_LIMIT_EXCEEDED = "RequestSizeLimitExceeded";
    public static final String RESPONSE_SIZE_LIMIT_EXCEEDED = "ResponseSizeLimitExceeded";

    public static final String INVALID_AUTHORIZATION = "AuthFailure.InvalidAuthorization";
    public static final String SECRET_ID_NOT_FOUND = "AuthFailure.SecretIdNotFound";
    public static final String SIGNATURE_EXPIRE = "AuthFailure.SignatureExpire";
    public static final String SIGNATURE_FAILURE = "AuthFailure.SignatureFailure";
    public static final String TOKEN_FAILURE = "AuthFailure.TokenFailure";
    public static final String INVALID_SECRET_ID = "AuthFailure.InvalidSecretId";
    public static final String UNAUTHORIZED_OPERATION = "AuthFailure.UnauthorizedOperation";

    public static final String TOPIC_NOT_FOUND = "InvalidParameterValue.TopicNotFound";
    public static final String TOKEN_NOT_FOUND = "InvalidParameter.TokenNotFound";
    public static final String TENANT_NOT_FOUND = "InvalidParameter.TenantNotFound";
    public static final String MAX_MESSAGE_SIZE = "FailedOperation.MaxMessageSizeError";
    public static final String MESSAGE_ID_ERROR = "FailedOperation.MessageIDError";
    public static final String RECEIVE_TIMEOUT = "FailedOperation.ReceiveTimeout";
    public static final String TOPIC_TYPE_ERROR = "FailedOperation.TopicTypeError";
    public static final String CREATE_PRODUCER_ERROR = "FailedOperation.CreateProducerError";

    private ErrorCodes() {
    }
}
