package io.github.tdmqhttp.emulator;

import io.github.tdmqhttp.emulator.model.TopicName;
import io.github.tdmqhttp.emulator.wire.CredentialStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the emulator standalone: {@code java -jar tdmq-http-emulator-<version>-standalone.jar [options]}.
 * It prints the endpoint, the credentials, the admin URL and a Camel URI, and runs until Ctrl-C.
 */
public final class Main {

    /** The port of the standalone emulator unless {@code --port} says otherwise. */
    public static final int DEFAULT_PORT = 9090;

    static final String EXAMPLE_TOPIC = "pulsar-local/default/example";

    static final String USAGE = """
            Usage: java -jar tdmq-http-emulator-standalone.jar [options]
              --port N               port on 127.0.0.1 (default 9090; 0 = any free port)
              --secret-id ID         SecretId to accept (default AKIDLOCALEMULATOR)
              --secret-key KEY       SecretKey to accept (default local-emulator-secret-key)
              --topic NAME[:P]       declare topic NAME (tenant/namespace/topic) with P partitions (default 1;
                                     0 = non-partitioned); repeatable. Other topics answer TopicNotFound.
                                     Without --topic, pulsar-local/default/example is declared
              --ack-timeout D        redeliver unacknowledged messages after D (default 30s)
              --receive-wait D       how long ReceiveMessage waits for a message (default 1s)
              --rate-limit N         requests per second per action, SecretId and access region (default 1000,
                                     as the service); 0 = off
              --max-unacknowledged N stop delivering to a subscription on a partition while it holds N
                                     unacknowledged messages there (default 5000, as the service); 0 = off
              --max-response-bytes N refuse answers over N bytes with ResponseSizeLimitExceeded (default 0 = off:
                                     the service's value is not published)
              --https-port N         serve HTTPS too, on port N (0 = any free port), with a self-signed
                                     certificate for 127.0.0.1 generated at start (its trust store is printed)
              --keystore FILE        serve HTTPS with this PKCS12 (or .jks) key store instead (needs --https-port)
              --keystore-password P  the password of --keystore (and of its key)
              --first-ledger-id N    number ledgers from N (default: random, so ids differ from run to run)
            Leniencies (each makes the emulator accept what the service refuses):
              --auto-create-topics   create unknown topics with one partition instead of TopicNotFound
              --no-verify            accept any signature
              --share-producer-names let concurrent sends use one ProducerName (no CreateProducerError)
              --no-service-side-batching
                                     store each SendBatchMessages call alone in an entry, answered at once
              --latency D            time added to every answer (default 0ms)
              --jitter D             random time up to D added on top of --latency (default 0ms)
              --help                 print this help
            Durations: 500ms, 5s, 2m.""";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    /** A command line the emulator cannot run with; the message names the option. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * What the command line asks for.
     *
     * @param builder      the emulator to build
     * @param help         whether only the help was asked for
     * @param exampleTopic the topic of the printed Camel URI: the first {@code --topic}, or an example
     */
    record CommandLine(TdmqEmulatorBuilder builder, boolean help, String exampleTopic) {
    }

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        CommandLine commandLine;
        try {
            commandLine = parse(args);
        } catch (UsageException badArguments) {
            System.err.println("tdmq-http-emulator: " + badArguments.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (commandLine.help()) {
            System.out.println(USAGE);
            return;
        }
        TdmqEmulator emulator = start(commandLine, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.stop();
            stopped.countDown();
        }, "tdmq-emulator-shutdown"));
        stopped.await();
    }

    /** Builds and starts the emulator the command line describes, and prints how to reach it. */
    static TdmqEmulator start(CommandLine commandLine, PrintStream out) {
        TdmqEmulator emulator = commandLine.builder().build().start();
        out.println("TDMQ HTTP emulator listening on " + emulator.endpoint());
        out.println("  region     " + emulator.region());
        out.println("  secretId   " + emulator.secretId());
        out.println("  secretKey  " + emulator.secretKey());
        out.println("  settings   " + emulator.settings());
        if (emulator.isHttps()) {
            out.println("  HTTPS      " + emulator.httpsEndpoint() + " (trust store "
                        + emulator.certificate().trustStore() + ", password "
                        + emulator.certificate().trustStorePassword() + ")");
        }
        out.println("  admin      " + emulator.endpoint() + "/__admin/tdmq/stats");
        out.println("  Camel URI  " + emulator.camelUri(commandLine.exampleTopic()));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        return emulator;
    }

    /** Reads the options; {@code --name value} and {@code --name=value} both work. */
    static CommandLine parse(String[] args) throws UsageException {
        TdmqEmulatorBuilder builder = TdmqEmulator.builder().port(DEFAULT_PORT);
        String exampleTopic = null;
        Duration latency = Duration.ZERO;
        Duration jitter = Duration.ZERO;
        String secretId = TdmqEmulator.DEFAULT_SECRET_ID;
        String secretKey = TdmqEmulator.DEFAULT_SECRET_KEY;
        Integer httpsPort = null;
        String keyStore = null;
        String keyStorePassword = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            String inlineValue = null;
            int equals = option.indexOf('=');
            if (option.startsWith("--") && equals > 0) {
                inlineValue = option.substring(equals + 1);
                option = option.substring(0, equals);
            }
            switch (option) {
                case "--help", "-h" -> {
                    return new CommandLine(builder, true, EXAMPLE_TOPIC);
                }
                case "--no-verify" -> builder.verifySignatures(false);
                case "--auto-create-topics" -> builder.autoCreateTopics(true);
                // The default now; still accepted so that older scripts keep working.
                case "--strict-topics" -> builder.autoCreateTopics(false);
                case "--share-producer-names" -> builder.shareProducerNames(true);
                case "--no-service-side-batching" -> builder.serviceSideBatching(false);
                case "--port", "--secret-id", "--secret-key", "--topic", "--ack-timeout", "--receive-wait",
                     "--rate-limit", "--max-unacknowledged", "--max-response-bytes", "--first-ledger-id", "--latency", "--jitter", "--https-port", "--keystore",
                     "--keystore-password" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(option + " needs a value.");
                        }
                        value = args[++i];
                    }
                    switch (option) {
                        case "--port" -> builder.port(integer(option, value, 0, 65535));
                        case "--secret-id" -> {
                            secretId = text(option, value);
                            if (!secretId.startsWith(CredentialStore.SECRET_ID_PREFIX)) {
                                throw new UsageException(option + " must start with "
                                        + CredentialStore.SECRET_ID_PREFIX + ", as API key SecretIds do, was "
                                        + value + ".");
                            }
                        }
                        case "--secret-key" -> secretKey = text(option, value);
                        case "--topic" -> {
                            String topic = topic(option, value, builder);
                            exampleTopic = exampleTopic == null ? topic : exampleTopic;
                        }
                        case "--ack-timeout" -> {
                            Duration ackTimeout = duration(option, value);
                            if (ackTimeout.isZero()) {
                                throw new UsageException("--ack-timeout must be positive, was " + value + ".");
                            }
                            builder.ackTimeout(ackTimeout);
                        }
                        case "--receive-wait" -> builder.receiveWait(duration(option, value));
                        case "--rate-limit" -> builder.rateLimit(integer(option, value, 0, Integer.MAX_VALUE));
                        case "--max-unacknowledged" ->
                                builder.maxUnacknowledgedMessages(integer(option, value, 0, Integer.MAX_VALUE));
                        case "--max-response-bytes" ->
                                builder.maxResponseBytes(integer(option, value, 0, Integer.MAX_VALUE));
                        case "--first-ledger-id" -> builder.firstLedgerId(integer(option, value, 0, Integer.MAX_VALUE));
                        case "--latency" -> latency = duration(option, value);
                        case "--jitter" -> jitter = duration(option, value);
                        case "--https-port" -> httpsPort = integer(option, value, 0, 65535);
                        case "--keystore" -> keyStore = text(option, value);
                        case "--keystore-password" -> keyStorePassword = value;
                        default -> throw new IllegalStateException(option);
                    }
                }
                default -> throw new UsageException("unknown option " + option + ".");
            }
        }
        builder.credentials(secretId, secretKey).latency(latency, jitter);
        if (keyStore != null && httpsPort == null) {
            throw new UsageException("--keystore needs --https-port: the port to serve HTTPS on.");
        }
        if (httpsPort != null) {
            builder.httpsPort(httpsPort);
            if (keyStore != null) {
                builder.https(Path.of(keyStore), keyStorePassword == null ? "" : keyStorePassword);
            } else {
                builder.https();
            }
        }
        if (exampleTopic == null) {
            // Without --topic, the topic of the printed Camel URI is declared, so that the URI works as printed.
            builder.topic(EXAMPLE_TOPIC, 1);
            exampleTopic = EXAMPLE_TOPIC;
        }
        return new CommandLine(builder, false, exampleTopic);
    }

    private static String topic(String option, String value, TdmqEmulatorBuilder builder) throws UsageException {
        String name = value;
        int partitions = 1;
        // persistent://... has a colon of its own: the partitions follow the first colon after the scheme.
        int scheme = value.indexOf("://");
        int colon = value.indexOf(':', scheme < 0 ? 0 : scheme + 3);
        if (colon >= 0) {
            name = value.substring(0, colon);
            partitions = integer(option, value.substring(colon + 1), 0, 100_000);
        }
        if (!TopicName.isValid(name)) {
            throw new UsageException(option + " needs tenant/namespace/topic[:partitions], was " + value + ".");
        }
        builder.topic(name, partitions);
        return name;
    }

    private static String text(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " must not be empty.");
        }
        return value;
    }

    private static int integer(String option, String value, int min, int max) throws UsageException {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new UsageException(option + " needs a whole number from " + min + " to " + max + ", was " + value + ".");
    }

    private static Duration duration(String option, String value) throws UsageException {
        Matcher matcher = DURATION.matcher(value.trim());
        if (!matcher.matches()) {
            throw new UsageException(option + " needs a duration such as 500ms, 5s or 2m, was " + value + ".");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
