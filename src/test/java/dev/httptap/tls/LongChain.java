package dev.httptap.tls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A server whose chain is longer and larger than JSSE's defaults accept (10 certificates, 32 KiB in one
 * handshake message): a root, {@code intermediates} CAs each under the one before, and a leaf for a host,
 * each certificate padded with a private extension of {@code padding} bytes. Made with Bouncy Castle, apart
 * from httptap's CA.
 */
final class LongChain {
    /** An arbitrary private OID for the padding. */
    private static final ASN1ObjectIdentifier PADDING = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1");

    private LongChain() {}

    /** A server context presenting the whole chain (leaf first, root last) for {@code host}. */
    static SSLContext serverContext(String host, int intermediates, int padding) throws Exception {
        Instant now = Instant.now();
        KeyPair issuerKeys = keys();
        X500Name issuer = new X500Name("CN=long chain root");
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate(issuer, issuerKeys, issuer, issuerKeys, true, null, now, 0, padding));
        for (int i = 1; i <= intermediates + 1; i++) {
            boolean leaf = i == intermediates + 1;
            KeyPair subjectKeys = keys();
            X500Name subject = new X500Name(leaf ? "CN=" + host : "CN=long chain intermediate " + i);
            chain.add(0, certificate(issuer, issuerKeys, subject, subjectKeys, !leaf, leaf ? host : null, now, i, padding));
            issuer = subject;
            issuerKeys = subjectKeys;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", issuerKeys.getPrivate(), new char[0], chain.toArray(X509Certificate[]::new));
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    private static X509Certificate certificate(X500Name issuer, KeyPair issuerKeys, X500Name subject, KeyPair subjectKeys,
            boolean ca, String host, Instant now, int serial, int padding) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial + 1),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(PADDING, false, new DEROctetString(new byte[padding]));
        if (host != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
