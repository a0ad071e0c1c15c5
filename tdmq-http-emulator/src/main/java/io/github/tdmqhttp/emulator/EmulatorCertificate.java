package io.github.tdmqhttp.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate the emulator serves HTTPS with: a self-signed one it generates for {@code 127.0.0.1} and
 * {@code localhost}, or one given as a key store. Clients trust it through {@link #trustStore()} (a PKCS12 file with
 * the certificate alone, for tools and Camel's {@code sslContextParameters}), {@link #trustManager()} or
 * {@link #sslContext()}.
 *
 * <p>The generated certificate is made by the JDK's own {@code keytool}, run once per JVM as a process: the JDK has
 * no public API to create a certificate, WireMock's bundled key store names no host (so hostname verification fails on
 * 127.0.0.1), and a library such as BouncyCastle would be one more dependency for a test tool. keytool is in every
 * JDK and works offline.
 */
public final class EmulatorCertificate {

    /** The password of the generated key store and of every trust store written here. */
    static final String GENERATED_PASSWORD = "tdmq-emulator";
    private static final String ALIAS = "tdmq-emulator";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private static EmulatorCertificate generated;

    private final Path keyStore;
    private final String password;
    private final String keyStoreType;
    private final X509Certificate certificate;
    private final Path trustStore;

    private EmulatorCertificate(Path keyStore, String password, String keyStoreType) {
        this.keyStore = keyStore;
        this.password = password;
        this.keyStoreType = keyStoreType;
        KeyStore store = load(keyStore, password, keyStoreType);
        this.certificate = serverCertificate(store, keyStore);
        this.trustStore = writeTrustStore(certificate);
    }

    /**
     * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, generated the first time it is asked for
     * and shared by every emulator of the JVM (generating takes about a second).
     */
    public static synchronized EmulatorCertificate generated() {
        if (generated == null) {
            generated = new EmulatorCertificate(generate(), GENERATED_PASSWORD, "PKCS12");
        }
        return generated;
    }

    /**
     * A key store of your own (PKCS12, or JKS when the file name ends with {@code .jks}) holding one private key and
     * its certificate; the key's password must be the store's.
     */
    public static EmulatorCertificate of(Path keyStore, String password) {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        String type = keyStore.getFileName().toString().toLowerCase().endsWith(".jks") ? "JKS" : "PKCS12";
        return new EmulatorCertificate(keyStore, password, type);
    }

    /** The key store the server uses. */
    public Path keyStore() {
        return keyStore;
    }

    /** The password of {@link #keyStore()}. */
    public String keyStorePassword() {
        return password;
    }

    String keyStoreType() {
        return keyStoreType;
    }

    /** The server's certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A PKCS12 trust store holding only the server's certificate, with the password {@link #trustStorePassword()}. */
    public Path trustStore() {
        return trustStore;
    }

    /** The password of {@link #trustStore()}. */
    public String trustStorePassword() {
        return GENERATED_PASSWORD;
    }

    /** A trust manager that trusts the server's certificate and nothing else. */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(load(trustStore, GENERATED_PASSWORD, "PKCS12"));
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The JDK offers no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a trust manager for the emulator's certificate", e);
        }
    }

    /** A TLS context that trusts the server's certificate and nothing else. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { trustManager() }, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a TLS context for the emulator's certificate", e);
        }
    }

    private static Path generate() {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("The emulator generates its HTTPS certificate with keytool, which this Java"
                                            + " runtime does not have (" + keytool + "). Give a key store instead:"
                                            + " TdmqEmulator.builder().https(keyStore, password)");
        }
        try {
            Path directory = Files.createTempDirectory("tdmq-emulator-tls");
            Path keyStore = directory.resolve("emulator.p12");
            List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    // EC keys are generated in milliseconds; RSA 2048 takes about a second more.
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=127.0.0.1, O=tdmq-http-emulator", "-ext", "san=ip:127.0.0.1,dns:localhost",
                    "-validity", "3650", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", GENERATED_PASSWORD, "-keypass", GENERATED_PASSWORD, "-noprompt"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0 || !Files.exists(keyStore)) {
                throw new IllegalStateException("keytool could not generate the emulator's certificate: " + output);
            }
            keyStore.toFile().deleteOnExit();
            directory.toFile().deleteOnExit();
            return keyStore;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run keytool to generate the emulator's certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating the emulator's certificate", e);
        }
    }

    private static KeyStore load(Path file, String password, String type) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the key store " + file + " (" + type + "): "
                                               + e.getMessage(), e);
        }
    }

    private static X509Certificate serverCertificate(KeyStore store, Path file) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate x509) {
                    return x509;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the key store " + file + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("The key store " + file + " holds no private key with an X.509"
                                           + " certificate");
    }

    private static Path writeTrustStore(Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(ALIAS, certificate);
            Path file = Files.createTempFile("tdmq-emulator-trust", ".p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, GENERATED_PASSWORD.toCharArray());
            }
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write a trust store for the emulator's certificate", e);
        }
    }
}
