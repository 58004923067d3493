package dev.httptap.tls;

import dev.httptap.files.IoFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How httptap checks the real servers it talks TLS to: against this machine's default trust store (the
 * JDK's), plus the certificates of {@code --ca-file}, with the host name checked as HTTPS does; or, with
 * {@code --insecure}, not at all.
 */
public final class UpstreamTrust {
    private final Supplier<SSLContext> context;
    private final boolean verifying;

    private UpstreamTrust(Supplier<SSLContext> context, boolean verifying) {
        this.context = context;
        this.verifying = verifying;
    }

    /** Throws {@link IllegalArgumentException} with a message fit for the user when the file is unusable. */
    public static UpstreamTrust create(Optional<Path> caFile, boolean insecure) {
        return create(caFile.map(UpstreamTrust::readCertificates).orElse(List.of()), insecure);
    }

    /** The default trust store and {@code userAnchors} (those of {@code --ca-file}), or none with {@code insecure}. */
    public static UpstreamTrust create(List<X509Certificate> userAnchors, boolean insecure) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager trust = insecure ? new TrustingEverything() : verifyingManager(userAnchors);
            context.init(null, new TrustManager[] {trust}, null);
            return new UpstreamTrust(() -> context, !insecure);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS to servers: " + e.getMessage(), e);
        }
    }

    /**
     * A trust that {@code made} supplies at the first {@link #newEngine}, for one still being made: only the
     * first connection to a TLS server waits for it, not the start of the child.
     */
    static UpstreamTrust deferred(Supplier<UpstreamTrust> made, boolean verifying) {
        return new UpstreamTrust(() -> made.get().context.get(), verifying);
    }

    public boolean isVerifying() {
        return verifying;
    }

    /** A client engine for {@code peerHost} (the name checked against the server's certificate). */
    SSLEngine newEngine(String peerHost, int port) {
        return context.get().createSSLEngine(peerHost, port);
    }

    private static TrustManager verifyingManager(List<X509Certificate> userAnchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (userAnchors.isEmpty()) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers()[0];
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        List<X509Certificate> certificates = new ArrayList<>(List.of(defaultAnchors()));
        certificates.addAll(userAnchors);
        for (int i = 0; i < certificates.size(); i++) {
            anchors.setCertificateEntry("anchor-" + i, certificates.get(i));
        }
        factory.init(anchors);
        return factory.getTrustManagers()[0];
    }

    /** The JDK's default trusted CAs. */
    static X509Certificate[] defaultAnchors() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }

    /**
     * The certificates of a PEM (or DER) file; throws {@link IllegalArgumentException} with a message fit for
     * the user when there are none.
     */
    public static List<X509Certificate> readCertificates(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--ca-file " + file + ": is a directory");
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate certificate : certificates) {
                result.add((X509Certificate) certificate);
            }
            if (result.isEmpty()) {
                throw new IllegalArgumentException("--ca-file " + file + ": no certificate in it");
            }
            return result;
        } catch (IOException e) {
            throw new IllegalArgumentException("--ca-file " + file + ": " + IoFailure.reason(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--ca-file " + file + ": not a certificate file (PEM or DER): "
                    + e.getMessage(), e);
        }
    }

    /** --insecure: any certificate, any name. */
    static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
