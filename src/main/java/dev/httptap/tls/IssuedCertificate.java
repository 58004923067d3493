package dev.httptap.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A leaf certificate with its private key and the CA that signed it: what a TLS server presents. */
public record IssuedCertificate(PrivateKey key, X509Certificate leaf, X509Certificate issuer) {
    /** The chain a server sends: leaf first, then the CA. */
    public X509Certificate[] chain() {
        return new X509Certificate[] {leaf, issuer};
    }
}
