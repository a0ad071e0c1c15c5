package io.github.tdmqhttp.camel;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Which headers cross a topic with messageFormat=CLOUDEVENTS, both ways: every header but Camel's own (Camel*,
 * camel*, org.apache.camel.*, breadcrumbId) and those whose names suggest a secret (containing secret, token,
 * password, passwd, credential, authorization, cookie, apikey, accesskey, privatekey or session, in any case). Inbound
 * the same filter keeps a sender from setting Camel's headers (a CamelFileName, say) on the receiving route. Extend
 * it, or set another HeaderFilterStrategy with the headerFilterStrategy option, to choose otherwise.
 */
public class TdmqHttpHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    /** Names that suggest a secret, wherever they appear in the header name. */
    static final String SECRET_NAMES = "(?i)(breadcrumbid|.*(secret|token|password|passwd|credential|authorization|cookie"
                                       + "|api-?key|access-?key|private-?key|session).*)";

    public TdmqHttpHeaderFilterStrategy() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setOutFilterPattern(SECRET_NAMES);
        setInFilterPattern(SECRET_NAMES);
    }
}
