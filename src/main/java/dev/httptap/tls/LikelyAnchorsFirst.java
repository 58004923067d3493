package dev.httptap.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server first against the few anchors that can end its chain ({@link LikelyAnchors}: the
 * {@code --ca-file} certificates and the trust store's CAs the chain names), and against every anchor only
 * when that fails. A chain ends at one anchor, so this accepts exactly what one manager over all anchors
 * accepts, and a refusal is that manager's own. What it saves: parsing the JDK's whole trust store (~60-100 ms
 * of CPU in a cold JVM) before the first TLS connection of a run can be checked.
 */
final class LikelyAnchorsFirst extends X509ExtendedTrustManager {
    private final Function<X509Certificate[], Optional<X509ExtendedTrustManager>> likely;
    private final Supplier<X509ExtendedTrustManager> allAnchors;

    /** {@code allAnchors} may block until the full manager is made; it is called only when needed. */
    LikelyAnchorsFirst(Function<X509Certificate[], Optional<X509ExtendedTrustManager>> likely,
            Supplier<X509ExtendedTrustManager> allAnchors) {
        this.likely = likely;
        this.allAnchors = allAnchors;
    }

    /** One way of asking a manager about a chain, so that each overload below tries the same managers. */
    private interface Check {
        void on(X509ExtendedTrustManager manager) throws CertificateException;
    }

    private void check(X509Certificate[] chain, Check check) throws CertificateException {
        Optional<X509ExtendedTrustManager> first = likely.apply(chain);
        if (first.isPresent()) {
            try {
                check.on(first.get());
                return;
            } catch (CertificateException notThoseAnchors) {
                // the full manager decides, and its refusal is the one reported
            }
        }
        check.on(all());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, manager -> manager.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, manager -> manager.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, manager -> manager.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        all().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        all().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        all().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        try {
            return all().getAcceptedIssuers();
        } catch (CertificateException e) {
            return new X509Certificate[0];
        }
    }

    private X509ExtendedTrustManager all() throws CertificateException {
        try {
            return allAnchors.get();
        } catch (CompletionException e) {
            throw new CertificateException("cannot load the trust store: " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalStateException e) {
            throw new CertificateException("cannot load the trust store: " + e.getMessage(), e);
        }
    }
}
