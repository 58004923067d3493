package dev.httptap.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server against the {@code --ca-file} anchors first, and against every anchor (the JDK's and the
 * file's) only when that fails. A chain ends at one anchor, so this accepts exactly what one manager over all
 * anchors accepts, and a refusal is that manager's own. What it saves: parsing the JDK's trust store (~100 ms
 * of CPU in a cold JVM), which a run whose servers the file's CAs vouch for no longer waits for at its first
 * TLS connection. The full manager is made in the background meanwhile, for the first server that needs it.
 */
final class UserAnchorsFirst extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager userAnchors;
    private final CompletableFuture<X509ExtendedTrustManager> allAnchors;

    UserAnchorsFirst(X509ExtendedTrustManager userAnchors, Supplier<X509ExtendedTrustManager> allAnchors) {
        this.userAnchors = userAnchors;
        this.allAnchors = TlsStartup.inBackground("httptap-trust-store", allAnchors);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            userAnchors.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException notTheFiles) {
            all().checkServerTrusted(chain, authType, engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            userAnchors.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException notTheFiles) {
            all().checkServerTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            userAnchors.checkServerTrusted(chain, authType);
        } catch (CertificateException notTheFiles) {
            all().checkServerTrusted(chain, authType);
        }
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
            return userAnchors.getAcceptedIssuers();
        }
    }

    private X509ExtendedTrustManager all() throws CertificateException {
        try {
            return allAnchors.join();
        } catch (CompletionException e) {
            throw new CertificateException("cannot load the trust store: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
