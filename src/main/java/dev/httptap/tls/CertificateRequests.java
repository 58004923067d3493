package dev.httptap.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of httptap's connections to servers. httptap has no client certificate of its own, and the
 * child's cannot cross an intercepted connection (its signature covers the child's handshake with httptap,
 * not httptap's with the server), so none is offered; what matters is that the server asked (a
 * CertificateRequest), which this notes for the thread whose handshake step asked: both Conscrypt and JSSE
 * ask their key manager on the thread that drives the engine ({@link TlsEndpoint} runs delegated tasks
 * inline), which takes the note right after that step ({@link #takeAsked}).
 */
final class CertificateRequests extends X509ExtendedKeyManager {
    private final ThreadLocal<Boolean> asked = ThreadLocal.withInitial(() -> false);

    /** Whether a server asked this thread's engine for a certificate since the last call; forgets it. */
    boolean takeAsked() {
        boolean was = asked.get();
        asked.set(false);
        return was;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        asked.set(true);
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        asked.set(true);
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return null;
    }
}
