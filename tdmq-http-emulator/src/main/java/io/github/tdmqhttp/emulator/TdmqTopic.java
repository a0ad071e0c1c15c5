package io.github.tdmqhttp.emulator;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a topic on the emulator of a {@link TdmqEmulatorExtension}, as creating it in the TDMQ console does. On a
 * test class the topic exists before the first test; on a test method, before that test. Repeatable.
 *
 * <pre>{@code
 * @TdmqTopic("pulsar-test/default/orders")
 * @TdmqTopic(value = "pulsar-test/default/audit", partitions = 4)
 * class OrderRouteTest { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(TdmqTopic.List.class)
public @interface TdmqTopic {

    /** The topic: {@code tenant/namespace/topic}, or another form the emulator accepts. */
    String value();

    /** Its partitions; 0 makes it non-partitioned (ReceiveMessage then answers TopicTypeError). */
    int partitions() default 1;

    /** The container of repeated {@link TdmqTopic}s. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        TdmqTopic[] value();
    }
}
