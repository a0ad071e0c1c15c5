package io.github.tdmqhttp.emulator;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.http.trafficlistener.WiremockNetworkTrafficListener;
import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;
import io.github.tdmqhttp.emulator.wire.SystemLoggerNotifier;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listening side of the emulator: the WireMock server on 127.0.0.1 (HTTP, and HTTPS on a second port when a
 * certificate is given), and outages, during which it stops listening (clients get "connection refused"), resets the
 * connections it had (a call in flight fails at once, as when the service's process dies) and listens again on the same
 * ports by itself, on a timer thread of its own. Thread-safe; every state change happens under one
 * lock.
 */
final class EmulatorServer {

    /** At least 256 concurrent long polls plus the load that sends to them. */
    static final int CONTAINER_THREADS = 330;

    private static final System.Logger LOG = System.getLogger(EmulatorServer.class.getName());
    private static final Duration RESTART_RETRY = Duration.ofMillis(200);
    private static final int RESTART_ATTEMPTS = 50;

    private final int requestedPort;
    private final int requestedHttpsPort;
    private final EmulatorCertificate certificate;
    private final Extension[] extensions;
    private final LongAdder httpConnections = new LongAdder();
    private final LongAdder httpsConnections = new LongAdder();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();

    private final Object lifecycle = new Object();
    private WireMockServer server;
    private volatile int port = -1;
    private volatile int httpsPort = -1;
    private volatile boolean refusing;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> pendingRestart;

    /**
     * @param certificate what HTTPS is served with, or null for HTTP only
     * @param extensions  the WireMock extensions that answer every request: the API and the admin API
     */
    EmulatorServer(int requestedPort, int requestedHttpsPort, EmulatorCertificate certificate,
                   Extension... extensions) {
        this.requestedPort = requestedPort;
        this.requestedHttpsPort = requestedHttpsPort;
        this.certificate = certificate;
        this.extensions = extensions.clone();
    }

    /** Starts listening; does nothing when listening or during an outage. */
    void start() {
        synchronized (lifecycle) {
            if (server == null && !refusing) {
                server = listen(requestedPort, requestedHttpsPort);
                port = server.port();
                httpsPort = certificate != null ? server.httpsPort() : -1;
            }
        }
    }

    /** Stops listening and drops pending restarts. Does nothing when stopped. */
    void stop() {
        synchronized (lifecycle) {
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
                pendingRestart = null;
            }
            refusing = false;
            if (server != null) {
                server.stop();
                server = null;
            }
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
    }

    /** Listening, or in an outage that ends by itself. */
    boolean isRunning() {
        synchronized (lifecycle) {
            return server != null || refusing;
        }
    }

    boolean isRefusingConnections() {
        return refusing;
    }

    /** The port listened on, -1 before the first start. */
    int port() {
        return port;
    }

    /** The HTTPS port listened on, -1 before the first start or without HTTPS. */
    int httpsPort() {
        return httpsPort;
    }

    EmulatorCertificate certificate() {
        return certificate;
    }

    /** Connections accepted since the emulator was built, on the HTTP port and on the HTTPS port (TLS handshakes). */
    ConnectionCounts connectionCounts() {
        return new ConnectionCounts(httpConnections.sum(), httpsConnections.sum());
    }

    /** Stops listening now and listens again after {@code outage}; called again during an outage, it moves the end. */
    void refuseConnections(Duration outage) {
        Objects.requireNonNull(outage, "outage");
        synchronized (lifecycle) {
            if (server == null && !refusing) {
                throw new IllegalStateException("The emulator is not started; start() it first.");
            }
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            if (server != null) {
                server.stop();
                server = null;
            }
            // Jetty's stop can leave a delayed (asynchronous) answer's connection open, unanswered: the client would
            // wait for its read timeout, which no outage of the real service makes it do.
            resetOpenConnections();
            refusing = true;
            pendingRestart = timer().schedule(() -> listenAgain(RESTART_ATTEMPTS), outage.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void resetOpenConnections() {
        for (Socket socket : openSockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException | RuntimeException alreadyClosed) {
                // Gone already: nothing to reset.
            }
        }
        openSockets.clear();
    }

    /** Starts an outage a moment from now, so that the admin call that asked for it still gets its answer. */
    void refuseConnectionsSoon(Duration outage) {
        synchronized (lifecycle) {
            timer().schedule(() -> refuseConnections(outage), 100, TimeUnit.MILLISECONDS);
        }
    }

    private void listenAgain(int attemptsLeft) {
        synchronized (lifecycle) {
            if (!refusing) {
                return;
            }
            try {
                server = listen(port, httpsPort);
                refusing = false;
                pendingRestart = null;
            } catch (RuntimeException portBusy) {
                if (attemptsLeft <= 1) {
                    LOG.log(System.Logger.Level.WARNING, "The emulator cannot listen again on port " + port
                            + " after the outage; it stays down. Stop it and start a new one.", portBusy);
                    refusing = false;
                    pendingRestart = null;
                    return;
                }
                pendingRestart = timer().schedule(() -> listenAgain(attemptsLeft - 1), RESTART_RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tdmq-emulator-outage");
                thread.setDaemon(true);
                return thread;
            });
        }
        return timer;
    }

    private WireMockServer listen(int onPort, int onHttpsPort) {
        WireMockConfiguration options = WireMockConfiguration.options();
        if (certificate != null) {
            options.httpsPort(onHttpsPort)
                    .keystorePath(certificate.keyStore().toString())
                    .keystorePassword(certificate.keyStorePassword())
                    .keyManagerPassword(certificate.keyStorePassword())
                    .keystoreType(certificate.keyStoreType())
                    // HTTP/1.1, one call per connection at a time, as the SDK's calls to TDMQ are counted here.
                    .http2TlsDisabled(true);
        }
        WireMockServer started = new WireMockServer(options
                .bindAddress(TdmqEmulator.HOST)
                .port(onPort)
                .http2PlainDisabled(true)
                .disableRequestJournal()
                .stubRequestLoggingDisabled(true)
                .gzipDisabled(true)
                .containerThreads(CONTAINER_THREADS)
                .jettyAcceptors(1)
                .jettyStopTimeout(200L)
                // Latency is served from WireMock's scheduler, so a delayed answer holds no Jetty thread.
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(4)
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER)
                .templatingEnabled(false)
                .extensionScanningEnabled(false)
                // WireMock would otherwise set JVM-wide XML factory properties, which is not ours to change.
                .disableOptimizeXmlFactoriesLoading(true)
                .mappingSource(NO_MAPPINGS)
                .notifier(new SystemLoggerNotifier())
                .networkTrafficListener(new ConnectionCounter())
                .extensions(extensions));
        started.start();
        return started;
    }

    /** Counts accepted connections by the port they came in on; the traffic itself is not looked at. */
    private final class ConnectionCounter implements WiremockNetworkTrafficListener {

        @Override
        public void opened(Socket socket) {
            openSockets.add(socket);
            if (socket.getLocalPort() == httpsPort) {
                httpsConnections.increment();
            } else {
                httpConnections.increment();
            }
        }

        @Override
        public void incoming(Socket socket, ByteBuffer bytes) {
        }

        @Override
        public void outgoing(Socket socket, ByteBuffer bytes) {
        }

        @Override
        public void closed(Socket socket) {
            openSockets.remove(socket);
        }
    }

    private static final MappingsSource NO_MAPPINGS = new MappingsSource() {
        @Override
        public void loadMappingsInto(StubMappings stubMappings) {
            // The emulator answers everything itself; it never loads WireMock stub files.
        }

        @Override
        public void save(List<StubMapping> stubMappings) {
        }

        @Override
        public void save(StubMapping stubMapping) {
        }

        @Override
        public void remove(StubMapping stubMapping) {
        }

        @Override
        public void removeAll() {
        }
    };
}
