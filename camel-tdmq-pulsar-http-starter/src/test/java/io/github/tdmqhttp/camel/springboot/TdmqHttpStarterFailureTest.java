package io.github.tdmqhttp.camel.springboot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A wrong property stops the application from starting, with a message that names it.
 */
@ExtendWith(OutputCaptureExtension.class)
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
    void aBeanReferenceToNothingFailsStartUpAndTheReportNamesThePropertyAndTheBean(CapturedOutput output) {
        assertThatThrownBy(() -> start("camel.component.tdmq-http.region=ap-guangzhou",
                "camel.component.tdmq-http.credentials-provider=#noSuchBean"))
                .hasStackTraceContaining("camel.component.tdmq-http.credentials-provider")
                .hasStackTraceContaining("noSuchBean");

        // What Spring Boot prints under APPLICATION FAILED TO START.
        assertThat(output.getOut()).contains("Property: camel.component.tdmq-http.credentials-provider")
                .contains("Value: \"#noSuchBean\"")
                .contains("no bean named 'noSuchBean' of type com.tencentcloudapi.common.provider.CredentialsProvider")
                .doesNotContain("required a bean named");
    }

    @Test
    void aBeanReferenceToABeanOfAnotherTypeNamesThePropertyToo(CapturedOutput output) {
        assertThatThrownBy(() -> start("camel.component.tdmq-http.region=ap-guangzhou",
                "camel.component.tdmq-http.client=#camelContext"))
                .hasStackTraceContaining("camel.component.tdmq-http.client");

        assertThat(output.getOut()).contains("Property: camel.component.tdmq-http.client")
                .contains("no bean named 'camelContext' of type com.tencentcloudapi.tdmq.v20200217.TdmqClient");
    }

    @Test
    void withEnabledFalseThePropertiesAreNotAppliedButRoutesStillUseTheComponentUnconfigured() {
        // The routes of the test application use tdmq-http: without a region in their URIs.
        assertThatThrownBy(() -> start("camel.component.tdmq-http.enabled=false",
                "camel.component.tdmq-http.region=ap-guangzhou"))
                .hasStackTraceContaining("needs a region");
    }
}
