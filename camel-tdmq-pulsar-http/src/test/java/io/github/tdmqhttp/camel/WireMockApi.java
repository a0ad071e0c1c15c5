package io.github.tdmqhttp.camel;

import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A WireMock server on loopback for tests that check the exact requests on the wire and the handling of answers the
 * emulator would not give. Answers are written in the API 3.0 shape.
 */
final class WireMockApi {

    static final String SECRET_ID = "AKIDwiremocktest";
    static final String SECRET_KEY = "wiremock-test-secret-key";

    private WireMockApi() {
    }

    static WireMockExtension extension(ConcurrencyProbe probe) {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().containerThreads(64)
                        .extensions(probe))
                .build();
    }

    /** A tdmq-http URI for the topic, pointing at the server, with fast retries. */
    static String uri(WireMockExtension api, String topic, String options) {
        return "tdmq-http:" + topic + "?region=ap-guangzhou&endpoint=http://127.0.0.1:" + api.getPort()
               + "&secretId=RAW(" + SECRET_ID + ")&secretKey=RAW(" + SECRET_KEY + ")&retryInitialDelay=1"
               + "&retryMaxDelay=5" + (options.isEmpty() ? "" : "&" + options);
    }

    static ResponseDefinitionBuilder success(String fields) {
        return okJson("{\"Response\":{" + fields + (fields.isEmpty() ? "" : ",") + "\"RequestId\":\"req-ok\"}}");
    }

    static ResponseDefinitionBuilder sent(String messageId) {
        return success("\"MessageId\":\"" + messageId + "\",\"ErrorMsg\":\"success\"");
    }

    static ResponseDefinitionBuilder error(String code, String message) {
        return okJson("{\"Response\":{\"Error\":{\"Code\":\"" + code + "\",\"Message\":\"" + message
                      + "\"},\"RequestId\":\"req-" + code + "\"}}");
    }

    static ResponseDefinitionBuilder body(int status, String contentType, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
    }

    /** Counts requests being served at the same moment, to observe (not assume) concurrency. */
    static final class ConcurrencyProbe implements ServeEventListener {

        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger highest = new AtomicInteger();

        @Override
        public void beforeMatch(ServeEvent serveEvent, com.github.tomakehurst.wiremock.extension.Parameters parameters) {
            highest.accumulateAndGet(current.incrementAndGet(), Math::max);
        }

        @Override
        public void afterComplete(ServeEvent serveEvent, com.github.tomakehurst.wiremock.extension.Parameters parameters) {
            current.decrementAndGet();
        }

        int highest() {
            return highest.get();
        }

        void reset() {
            highest.set(0);
        }

        @Override
        public String getName() {
            return "concurrency-probe";
        }
    }
}
