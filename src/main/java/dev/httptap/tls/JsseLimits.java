package dev.httptap.tls;

/**
 * JSSE settings httptap needs, which JSSE reads once, when it first initialises: {@link #apply} must run
 * before any SSLContext or SSLEngine is made. A setting the user gave (in {@code HTTPTAP_JAVA_OPTS}) wins.
 * They bind JSSE only: Conscrypt, when it is the run's library ({@link TlsLibrary}), has BoringSSL's fixed limits,
 * and servers beyond them are talked to with JSSE ({@link UpstreamContexts}).
 * <ul>
 *   <li>Certificate chains of up to {@value #MAX_CHAIN_CERTIFICATES} certificates and handshake messages of up
 *       to {@value #MAX_HANDSHAKE_MESSAGE_BYTES} bytes (JSSE's defaults: 10 and 32 KiB), so a server with a long
 *       chain gets to the certificate check (or, with --insecure, is talked to) instead of failing the
 *       handshake with a 502.</li>
 *   <li>No server_name extension on the side facing the child: httptap reads the child's SNI itself
 *       ({@link ClientHelloParser}) to pick the leaf, while JSSE would abort the handshake with
 *       illegal_parameter on names it finds unusual, such as one ending in a dot ("host.example.").</li>
 * </ul>
 */
public final class JsseLimits {
    static final int MAX_CHAIN_CERTIFICATES = 100;
    static final int MAX_HANDSHAKE_MESSAGE_BYTES = 256 * 1024;

    private JsseLimits() {}

    /** Sets the properties not set already. Idempotent; call first thing in TLS start-up. */
    public static void apply() {
        setUnlessGiven("jdk.tls.maxCertificateChainLength", Integer.toString(MAX_CHAIN_CERTIFICATES));
        setUnlessGiven("jdk.tls.maxHandshakeMessageSize", Integer.toString(MAX_HANDSHAKE_MESSAGE_BYTES));
        setUnlessGiven("jdk.tls.server.disableExtensions", "server_name");
    }

    private static void setUnlessGiven(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
