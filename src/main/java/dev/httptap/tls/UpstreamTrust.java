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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
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
    private final Supplier<UpstreamContexts> contexts;
    private final boolean verifying;

    private UpstreamTrust(Supplier<UpstreamContexts> contexts, boolean verifying) {
        this.contexts = contexts;
        this.verifying = verifying;
    }

    /** Throws {@link IllegalArgumentException} with a message fit for the user when the file is unusable. */
    public static UpstreamTrust create(Optional<Path> caFile, boolean insecure) {
        return create(caFile.map(UpstreamTrust::readCertificates).orElse(List.of()), insecure);
    }

    /** The default trust store and {@code userAnchors} (those of {@code --ca-file}), or none with {@code insecure}. */
    public static UpstreamTrust create(List<X509Certificate> userAnchors, boolean insecure) {
        try {
            TrustManager trust = insecure ? new TrustingEverything() : verifyingManager(userAnchors);
            UpstreamContexts contexts = new UpstreamContexts(TlsLibrary.chosen(), trust);
            return new UpstreamTrust(() -> contexts, !insecure);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS to servers: " + e.getMessage(), e);
        }
    }

    /**
     * A trust that {@code made} supplies at the first {@link #newEngine}, for one still being made: only the
     * first connection to a TLS server waits for it, not the start of the child.
     */
    static UpstreamTrust deferred(Supplier<UpstreamTrust> made, boolean verifying) {
        return new UpstreamTrust(() -> made.get().contexts.get(), verifying);
    }

    public boolean isVerifying() {
        return verifying;
    }

    /**
     * A client engine for {@code server} ("name:port"), checking its certificate against {@code peerHost}.
     */
    SSLEngine newEngine(String server, String peerHost, int port) {
        return contexts.get().forServer(server).createSSLEngine(peerHost, port);
    }

    /**
     * Whether {@code failure} of the engine for {@code server} was one that JSSE would not have: later
     * connections there are then made with JSSE ({@link UpstreamContexts#fallsBackAfter}).
     */
    boolean fallsBackAfter(String server, SSLException failure) {
        return contexts.get().fallsBackAfter(server, failure);
    }

    private static TrustManager verifyingManager(List<X509Certificate> userAnchors) throws GeneralSecurityException {
        return new TlsThirteenAuthType((X509ExtendedTrustManager) jdkManager(userAnchors));
    }

    private static TrustManager jdkManager(List<X509Certificate> userAnchors) throws GeneralSecurityException {
        if (userAnchors.isEmpty()) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory.getTrustManagers()[0];
        }
        return new UserAnchorsFirst(managerOver(userAnchors), () -> {
            try {
                List<X509Certificate> all = new ArrayList<>(List.of(defaultAnchors()));
                all.addAll(userAnchors);
                return managerOver(all);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /** The JDK's checks (PKIX path, validity, the name as HTTPS checks it) over these anchors only. */
    private static X509ExtendedTrustManager managerOver(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < certificates.size(); i++) {
            anchors.setCertificateEntry("anchor-" + i, certificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
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
    static class TrustingEverything extends X509ExtendedTrustManager {
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
