package io.github.tdmqhttp.emulator;

import io.github.tdmqhttp.emulator.fault.Faults;
import io.github.tdmqhttp.emulator.model.Broker;
import java.lang.reflect.AnnotatedElement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a {@link TdmqEmulator} for JUnit 5 tests.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TdmqEmulatorExtension emulator = new TdmqEmulatorExtension(TdmqEmulator.builder().ackTimeout(Duration.ofMillis(500)));
 *
 * @Test
 * void sendsOrders(TdmqEmulator running) { ... running.camelUri("pulsar-local/default/orders") ... }
 * }</pre>
 *
 * <p>Topics must be declared, as on the service: on the builder, or with {@link TdmqTopic} on the test class (before
 * the first test) or on a test method (before that test).
 *
 * <p>In a static field the emulator starts before all tests of the class and stops after them; in an instance field
 * it starts before each test and stops after it. Before each test the fault rules are cleared and the latency
 * restored to the built one; topics are kept, so tests should use topic names of their own. Test methods and
 * constructors can take a {@link TdmqEmulator} parameter.
 */
public final class TdmqEmulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final TdmqEmulator emulator;
    private boolean startedForOneTest;

    /** An extension for the emulator {@code builder} builds. */
    public TdmqEmulatorExtension(TdmqEmulatorBuilder builder) {
        this.emulator = builder.build();
    }

    /** An extension for an emulator with every default. */
    public static TdmqEmulatorExtension withDefaults() {
        return new TdmqEmulatorExtension(TdmqEmulator.builder());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator.start();
        declareTopics(context.getRequiredTestClass());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        emulator.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!emulator.isRunning()) {
            // Registered on an instance field: beforeAll was not called for this extension.
            emulator.start();
            startedForOneTest = true;
            declareTopics(context.getRequiredTestClass());
        }
        emulator.faults().clear();
        context.getTestMethod().ifPresent(this::declareTopics);
    }

    private void declareTopics(AnnotatedElement element) {
        for (TdmqTopic topic : AnnotationSupport.findRepeatableAnnotations(element, TdmqTopic.class)) {
            emulator.broker().createTopic(topic.value(), topic.partitions());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (startedForOneTest) {
            emulator.stop();
            startedForOneTest = false;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TdmqEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return emulator;
    }

    /** The emulator. */
    public TdmqEmulator get() {
        return emulator;
    }

    /** {@link TdmqEmulator#endpoint()}. */
    public String endpoint() {
        return emulator.endpoint();
    }

    /** {@link TdmqEmulator#port()}. */
    public int port() {
        return emulator.port();
    }

    /** {@link TdmqEmulator#camelUri(String)}. */
    public String camelUri(String topic) {
        return emulator.camelUri(topic);
    }

    /** {@link TdmqEmulator#publish(String, String)}. */
    public String publish(String topic, String payload) {
        return emulator.publish(topic, payload);
    }

    /** {@link TdmqEmulator#broker()}. */
    public Broker broker() {
        return emulator.broker();
    }

    /** {@link TdmqEmulator#faults()}. */
    public Faults faults() {
        return emulator.faults();
    }

    /** {@link TdmqEmulator#settings()}. */
    public Settings settings() {
        return emulator.settings();
    }
}
