package io.github.tdmqhttp.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log line (message and stack trace) at the given levels while open, to check what the component and
 * Camel write.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previousRoot;
    private final Level previousComponent;

    private LogCapture(Level root, Level component) {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        previousRoot = configuration.getRootLogger().getLevel();
        LoggerConfig componentConfig = configuration.getLoggerConfig("io.github.tdmqhttp");
        previousComponent = componentConfig.getLevel();
        start();
        configuration.getRootLogger().addAppender(this, Level.ALL, null);
        Configurator.setRootLevel(root);
        Configurator.setLevel("io.github.tdmqhttp", component);
        context.updateLoggers();
    }

    /** Everything at DEBUG, and the component's own loggers at TRACE. */
    static LogCapture debug() {
        return new LogCapture(Level.DEBUG, Level.TRACE);
    }

    /** What an application logs by default: INFO and above, everywhere. */
    static LogCapture info() {
        return new LogCapture(Level.INFO, Level.INFO);
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder()
                .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        Configurator.setRootLevel(previousRoot);
        Configurator.setLevel("io.github.tdmqhttp", previousComponent);
        stop();
        context.updateLoggers();
    }
}
