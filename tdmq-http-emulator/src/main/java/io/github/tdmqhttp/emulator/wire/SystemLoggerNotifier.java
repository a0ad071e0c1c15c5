package io.github.tdmqhttp.emulator.wire;

import com.github.tomakehurst.wiremock.common.Notifier;

/** Sends WireMock's own messages to {@link System.Logger}: informational ones at DEBUG, errors at WARNING. */
public final class SystemLoggerNotifier implements Notifier {

    private static final System.Logger LOG = System.getLogger("io.github.tdmqhttp.emulator.wiremock");

    @Override
    public void info(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }

    @Override
    public void error(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
    }

    @Override
    public void error(String message, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, message, t);
    }
}
