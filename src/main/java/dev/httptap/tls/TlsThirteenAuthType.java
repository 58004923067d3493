package dev.httptap.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's check, as Conscrypt calls it: for TLS 1.3, where the key exchange no longer says how the server
 * authenticates, Conscrypt names the kind "GENERIC" and JSSE "UNKNOWN", the only one the JDK's check takes
 * (it then requires the key to sign, as TLS 1.3 does).
 */
final class TlsThirteenAuthType extends X509ExtendedTrustManager {
    private static final String CONSCRYPT_TLS13 = "GENERIC";
    private static final String JSSE_TLS13 = "UNKNOWN";
    private final X509ExtendedTrustManager jdk;

    TlsThirteenAuthType(X509ExtendedTrustManager jdk) {
        this.jdk = jdk;
    }

    private static String jsseName(String authType) {
        return CONSCRYPT_TLS13.equals(authType) ? JSSE_TLS13 : authType;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        jdk.checkServerTrusted(chain, jsseName(authType), engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jdk.checkServerTrusted(chain, jsseName(authType), socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkServerTrusted(chain, jsseName(authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        jdk.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jdk.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }
}
