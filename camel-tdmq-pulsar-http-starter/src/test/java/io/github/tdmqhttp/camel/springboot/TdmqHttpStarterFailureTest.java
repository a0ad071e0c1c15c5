package io.github.tdmqhttp.camel.springboot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A wrong property stops the application from starting, with a message that names it.
 */
class TdmqHttpStarterFailureTest {

    private static void start(String... properties) {
        new SpringApplicationBuilder(StarterTestApplication.class)
                .web(WebApplicationType.NONE)
                .properties("camel.component.tdmq-http.secret-id=AKIDx", "camel.component.tdmq-http.secret-key=x",
                        "camel.component.tdmq-http.endpoint=http://127.0.0.1:9")
                .properties(properties)
                .run()
                .close();
    }

    @Test
    void aMissingRegionFailsStartUpAndSaysWhereToSetIt() {
        assertThatThrownBy(() -> start())
                .hasStackTraceContaining("needs a region")
                .hasStackTraceContaining("camel.component.tdmq-http.region");
    }

    @Test
    void aBadEnumValueFailsStartUpAndNamesTheProperty() {
        assertThatThrownBy(() -> start("camel.component.tdmq-http.region=ap-guangzhou",
                "camel.component.tdmq-http.payload-encoding=binary"))
                .hasStackTraceContaining("camel.component.tdmq-http.payload-encoding")
                .hasStackTraceContaining("binary");
    }

    @Test
    void aBeanReferenceToNothingFailsStartUpAndNamesTheBean() {
        assertThatThrownBy(() -> start("camel.component.tdmq-http.region=ap-guangzhou",
                "camel.component.tdmq-http.credentials-provider=#noSuchBean"))
                .hasStackTraceContaining("camel.component.tdmq-http.credentials-provider")
                .hasStackTraceContaining("noSuchBean");
    }
}
