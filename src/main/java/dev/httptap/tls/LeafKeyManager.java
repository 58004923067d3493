package dev.httptap.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one issued certificate, for servers only. Used instead of a PKCS12 key store, whose key
 * encryption (thousands of PBKDF2 rounds) would cost more than making the certificate.
 */
final class LeafKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "leaf";

    private final IssuedCertificate certificate;

    LeafKeyManager(IssuedCertificate certificate) {
        this.certificate = certificate;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType, certificate.key().getAlgorithm()) ? ALIAS : null;
    }

    /**
     * Whether a key of {@code algorithm} serves the key type asked for: the JDK and Conscrypt name it ("EC",
     * "RSA"); Bouncy Castle's TLS, the capture runs' child side, adds the curve in TLS 1.3 ("EC/secp256r1")
     * and names the key exchange in TLS 1.2 ("ECDHE_ECDSA" for an EC key, "ECDHE_RSA" or "DHE_RSA" for RSA).
     */
    static boolean fits(String keyType, String algorithm) {
        return keyType.equals(algorithm) || keyType.startsWith(algorithm + "/")
                || (algorithm.equals("EC") && keyType.equals("ECDHE_ECDSA"))
                || (algorithm.equals("RSA") && (keyType.equals("ECDHE_RSA") || keyType.equals("DHE_RSA")));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? certificate.chain() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? certificate.key() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }
}
