package io.github.tdmqhttp.camel.springboot;

import java.util.Set;

import com.tencentcloudapi.common.provider.CredentialsProvider;
import com.tencentcloudapi.tdmq.v20200217.TdmqClient;
import io.github.tdmqhttp.camel.TdmqHttpConfiguration;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.ApplicationContext;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Turns a property value such as {@code #myClient} or {@code #bean:myClient} into the bean of that name, for the
 * options of the tdmq-http component that take a bean.
 */
public class TdmqHttpBeanReferenceConverter implements GenericConverter {

    private static final Set<ConvertiblePair> PAIRS = Set.of(
            new ConvertiblePair(String.class, TdmqClient.class),
            new ConvertiblePair(String.class, CredentialsProvider.class),
            new ConvertiblePair(String.class, TdmqHttpConfiguration.class),
            new ConvertiblePair(String.class, HeaderFilterStrategy.class));

    private final ApplicationContext applicationContext;

    public TdmqHttpBeanReferenceConverter(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return PAIRS;
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String reference = source.toString();
        if (!reference.startsWith("#")) {
            throw new IllegalArgumentException("'" + reference + "' is not a bean reference: name the "
                                               + targetType.getType().getSimpleName() + " bean as #name or #bean:name");
        }
        String name = reference.startsWith("#bean:") ? reference.substring("#bean:".length()) : reference.substring(1);
        try {
            return applicationContext.getBean(name, targetType.getType());
        } catch (NoSuchBeanDefinitionException | BeanNotOfRequiredTypeException e) {
            // Not chained: Spring Boot would then report the missing bean as a constructor parameter of the
            // auto-configuration. As a conversion failure it is reported with the property that names the bean.
            throw new IllegalArgumentException("no bean named '" + name + "' of type "
                                               + targetType.getType().getName() + " (" + e.getMessage() + "): define"
                                               + " one, or correct the reference '" + reference + "'");
        }
    }
}
