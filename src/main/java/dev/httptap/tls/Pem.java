package dev.httptap.tls;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Certificates as PEM text (RFC 7468), the form CA bundles hold. */
public final class Pem {
    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    public static String certificate(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + LINES.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
        }
    }
}
