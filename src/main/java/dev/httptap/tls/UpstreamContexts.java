package dev.httptap.tls;

import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * The client contexts httptap talks to servers with, sharing one trust manager: the run's library's, and
 * JSSE's for the servers that library could not read. BoringSSL (Conscrypt) reads handshake messages of up to
 * 100 KiB during the handshake and 16 KiB after it, and no setting of Conscrypt's raises that, where JSSE
 * reads 256 KiB ({@link JsseLimits}): a server with a chain of tens of large certificates, or a JSSE server
 * sending such a chain back in a session ticket, fails the connection that met it, and its later connections
 * go through JSSE. At most {@link #MAX_FALLBACKS} servers are remembered.
 */
final class UpstreamContexts {
    static final int MAX_FALLBACKS = 4096;
    /** BoringSSL's reason for a handshake message over its limit. */
    private static final String EXCESSIVE_MESSAGE_SIZE = "EXCESSIVE_MESSAGE_SIZE";

    private final TlsLibrary library;
    private final TrustManager trust;
    private final CertificateRequests certificateRequests = new CertificateRequests();
    private final SSLContext chosen;
    private final Set<String> jsseServers = ConcurrentHashMap.newKeySet();
    /** Made when the first server needs it. */
    private SSLContext jsse;

    UpstreamContexts(TlsLibrary library, TrustManager trust) throws GeneralSecurityException {
        this.library = library;
        this.trust = trust;
        this.chosen = context(library);
    }

    /** The context for {@code server} ("name:port"). */
    SSLContext forServer(String server) {
        return jsseServers.contains(server) ? jsse() : chosen;
    }

    /**
     * True when {@code failure} is the library's limit on a handshake message, which JSSE's is not: {@code
     * server} is then remembered, and its later connections use JSSE.
     */
    boolean fallsBackAfter(String server, SSLException failure) {
        boolean overLimit = BoringSslError.in(failure.getMessage()).filter(e -> e.name().equals(EXCESSIVE_MESSAGE_SIZE)).isPresent();
        if (library.isJsse() || !overLimit || jsseServers.size() >= MAX_FALLBACKS) {
            return false;
        }
        return jsseServers.add(server);
    }

    /** Whether a server asked this thread's last handshake step for a client certificate; forgets it. */
    boolean takeCertificateRequest() {
        return certificateRequests.takeAsked();
    }

    private synchronized SSLContext jsse() {
        if (jsse == null) {
            try {
                jsse = context(TlsLibrary.jsse());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up JSSE: " + e.getMessage(), e);
            }
        }
        return jsse;
    }

    private SSLContext context(TlsLibrary of) throws GeneralSecurityException {
        SSLContext context = of.newContext();
        context.init(new KeyManager[] {certificateRequests}, new TrustManager[] {trust}, null);
        return context;
    }
}
