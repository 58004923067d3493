package dev.httptap.tls;

import dev.httptap.files.IoFailure;
import dev.httptap.log.Log;
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
     * Whether the server of this thread's last step of an engine from {@link #newEngine} asked for a client
     * certificate ({@link CertificateRequests}); forgets it.
     */
    boolean takeCertificateRequest() {
        return contexts.get().takeCertificateRequest();
    }

    /**
     * Whether {@code failure} of the engine for {@code server} was one that JSSE would not have: later
     * connections there are then made with JSSE ({@link UpstreamContexts#fallsBackAfter}).
     */
    boolean fallsBackAfter(String server, SSLException failure) {
        return contexts.get().fallsBackAfter(server, failure);
    }

    private static TrustManager verifyingManager(List<X509Certificate> userAnchors) {
        return new TlsThirteenAuthType(jdkManager(userAnchors));
    }

    /**
     * The JDK's check over its default trust store and {@code userAnchors}, trying first the anchors a chain
     * names ({@link LikelyAnchorsFirst}). The whole store is parsed only for a chain those do not vouch for
     * (refusals, mostly), then once: on that first call where the store could be indexed, else on a thread of
     * its own from the start, since every chain needs it.
     */
    private static X509ExtendedTrustManager jdkManager(List<X509Certificate> userAnchors) {
        Optional<AnchorIndex> stored = AnchorIndex.ofDefaultTrustStore();
        Supplier<X509ExtendedTrustManager> makeAll = () -> {
            try {
                List<X509Certificate> all = new ArrayList<>(List.of(defaultAnchors()));
                all.addAll(userAnchors);
                return managerOver(all);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
        Supplier<X509ExtendedTrustManager> all = stored.isPresent()
                ? new Memo<>(makeAll)
                : TlsStartup.inBackground("httptap-trust-store", makeAll)::join;
        return new LikelyAnchorsFirst(new LikelyAnchors(userAnchors, stored, UpstreamTrust::managerOver), all);
    }

    /** {@code make}'s result, made at the first call (one caller at a time); a failure is thrown at each call. */
    private static final class Memo<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T made;
        private RuntimeException failure;

        Memo(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (made == null && failure == null) {
                try {
                    made = make.get();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return made;
        }
    }

    /** The JDK's checks (PKIX path, validity, the name as HTTPS checks it) over these anchors only. */
    static X509ExtendedTrustManager managerOver(List<X509Certificate> certificates) throws GeneralSecurityException {
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

    /**
     * Has the JDK read its own trust store into {@code sun.security.util.AnchorCertificates} now, beside the
     * start of the child's first TLS connection: the JDK's name check of every verified server asks whether
     * the chain ends at one of those CAs (for its wildcard rules), and the first ask parsed all ~145 of them
     * on the relay thread, interpreted: ~50 ms of the first HTTPS exchange. Loading a JDK-internal class
     * touches none of its members; where it does not exist, nothing happens.
     */
    static void loadJdkAnchors() {
        try {
            Class.forName("sun.security.util.AnchorCertificates", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            Log.verbose("the JDK's anchor list was not loaded ahead: %s", e);
        }
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
