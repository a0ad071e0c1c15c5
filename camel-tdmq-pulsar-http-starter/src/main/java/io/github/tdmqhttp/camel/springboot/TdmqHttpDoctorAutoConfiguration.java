package io.github.tdmqhttp.camel.springboot;

import org.apache.camel.CamelContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The doctor's actuator endpoint, {@code /actuator/tdmqhttp}, when the actuator is on the class path. */
@AutoConfiguration(after = TdmqHttpComponentAutoConfiguration.class,
                   afterName = "org.apache.camel.spring.boot.CamelAutoConfiguration")
@ConditionalOnClass(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class)
public class TdmqHttpDoctorAutoConfiguration {

    /** The endpoint; only read when called. */
    @Bean
    @ConditionalOnBean(CamelContext.class)
    @ConditionalOnMissingBean
    public TdmqHttpDoctorEndpoint tdmqHttpDoctorEndpoint(CamelContext camelContext) {
        return new TdmqHttpDoctorEndpoint(camelContext);
    }
}
