package io.github.tdmqhttp.camel.springboot;

import io.github.tdmqhttp.camel.TdmqHttpComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Role;

/**
 * Applies the {@code camel.component.tdmq-http.*} properties to the tdmq-http component when Camel creates it. No
 * logic of its own: the component validates its options when a route starts.
 */
@AutoConfiguration(after = CamelAutoConfiguration.class)
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, TdmqHttpComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.tdmq-http" })
public class TdmqHttpComponentAutoConfiguration {

    private final ApplicationContext applicationContext;
    private final CamelContext camelContext;
    private final TdmqHttpComponentConfiguration configuration;

    public TdmqHttpComponentAutoConfiguration(ApplicationContext applicationContext, CamelContext camelContext,
                                              TdmqHttpComponentConfiguration configuration) {
        this.applicationContext = applicationContext;
        this.camelContext = camelContext;
        this.configuration = configuration;
    }

    @Lazy
    @Bean
    public ComponentCustomizer configureTdmqHttpComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                CamelPropertiesHelper.copyProperties(camelContext, configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                        "camel.component.tdmq-http.customizer") && target instanceof TdmqHttpComponent;
            }
        };
    }

    /** Lets {@code camel.component.tdmq-http.client=#myClient} and the like name a bean. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @org.springframework.boot.context.properties.ConfigurationPropertiesBinding
    public static TdmqHttpBeanReferenceConverter tdmqHttpBeanReferenceConverter(ApplicationContext applicationContext) {
        return new TdmqHttpBeanReferenceConverter(applicationContext);
    }
}
