package dev.httptap.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority the child is made to trust: an ECDSA P-256 key and a self-signed certificate
 * valid from an hour ago (clock skew) to a day from now (one run's CA, never written anywhere) or to a
 * chosen time (a CA kept between runs by {@link CaStore}, its key in a file only its owner reads). It issues the leaf
 * certificates the child is shown, one per server name or address, all for one P-256 key of their own:
 * the leaves' keys live in this process only, next to the CA's key that could sign any other, so a key
 * per leaf would protect nothing and cost a key generation on the relay's thread for every new name.
 */
public final class CertificateAuthority {
    static final Duration BACKDATE = Duration.ofHours(1);
    static final Duration VALIDITY = Duration.ofHours(24);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The size browsers and servers use; mitmproxy's leaves have it too. */
    private static final int RSA_BITS = 2048;

    private final KeyPair keys;
    private final X509Certificate certificate;
    /** The CA's name and key identifier as every leaf names its issuer. */
    private final X500Name issuer;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    /** Made with the first leaf, so that runs without HTTPS never pay for it. */
    /** One key for all the leaves of a kind, made at the first (an RSA one only for a client that needs it). */
    private final Map<LeafAlgorithm, LeafKey> leafKeys = new EnumMap<>(LeafAlgorithm.class);

    /** The key all leaves certify, with the forms their certificates carry it in. */
    private record LeafKey(KeyPair keys, SubjectPublicKeyInfo publicKeyInfo, SubjectKeyIdentifier identifier) {}

    private CertificateAuthority(KeyPair keys, X509Certificate certificate) throws GeneralSecurityException {
        this.keys = keys;
        this.certificate = certificate;
        this.issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.authorityKeyIdentifier = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate);
    }

    /** Makes a new CA valid from an hour before {@code now} to a day after, named "httptap CA" and the date. */
    public static CertificateAuthority create(Instant now) {
        return create(now, VALIDITY);
    }

    /** Makes a new CA valid from an hour before {@code now} to {@code validity} after. */
    public static CertificateAuthority create(Instant now, Duration validity) {
        String day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(now);
        return create("httptap CA " + day, now, validity);
    }

    /**
     * A CA that nothing trusts, named apart from the run's (a client finding the run's CA by the issuer's
     * name would report a bad signature instead of an unknown issuer): it signs the stand-ins for servers
     * whose issuer httptap does not trust ({@link ServerDefect#UNTRUSTED_ISSUER}).
     */
    static CertificateAuthority untrusted(Instant now) {
        return create("httptap stand-in for an untrusted issuer", now, VALIDITY);
    }

    private static CertificateAuthority create(String commonName, Instant now, Duration validity) {
        KeyPair keys = newKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.O, "httptap")
                .build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serialNumber(),
                    CertificateTime.of(now.minus(BACKDATE)), CertificateTime.of(now.plus(validity)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, sign(builder, keys));
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot make the CA certificate: " + e.getMessage(), e);
        }
    }

    /** A CA made earlier: its key (PKCS #8 PEM, as {@link #privateKeyPem()} writes it) and certificate (PEM). */
    public static CertificateAuthority load(String privateKeyPem, String certificatePem) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Pem.decode(privateKeyPem, "PRIVATE KEY")));
            return new CertificateAuthority(new KeyPair(certificate.getPublicKey(), key), certificate);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the kept CA: " + e.getMessage(), e);
        }
    }

    /** The CA's private key as PKCS #8 PEM, for {@link #load}: to be kept where only its owner can read it. */
    public String privateKeyPem() {
        return Pem.encode("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** When the CA, and every leaf it issues, stops being valid. */
    public Instant expires() {
        return certificate.getNotAfter().toInstant();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Issues a leaf for a DNS name (the child's SNI). */
    public IssuedCertificate issue(String dnsName) {
        return issue(dnsName(dnsName), LeafAlgorithm.EC);
    }

    /** Issues a leaf for an address, for clients that sent no SNI (clients check an iPAddress name). */
    public IssuedCertificate issue(InetAddress address) {
        return issue(address(address), LeafAlgorithm.EC);
    }

    /** Issues a leaf with a key of {@code algorithm}, valid as long as the CA. */
    IssuedCertificate issue(GeneralName name, LeafAlgorithm algorithm) {
        return issue(name, certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), algorithm);
    }

    static GeneralName dnsName(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName address(InetAddress address) {
        return new GeneralName(GeneralName.iPAddress, address.getHostAddress());
    }

    /**
     * A leaf for TLS servers only, naming the server in its subjectAltName alone, valid from {@code notBefore}
     * to {@code notAfter} (the CA's own validity, except for the stand-ins of {@link ServerDefect}):
     * the subject is empty, as a CN cannot hold a name over 64 characters (RFC 5280's upper bound) while a
     * DNS name may have 253, and RFC 5280 section 4.2.1.6 then makes the extension critical.
     */
    IssuedCertificate issue(GeneralName name, Instant notBefore, Instant notAfter, LeafAlgorithm algorithm) {
        LeafKey leaf = leafKey(algorithm);
        X500Name subject = new X500Name(new RDN[0]);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serialNumber(),
                    CertificateTime.of(notBefore), CertificateTime.of(notAfter), subject, leaf.publicKeyInfo())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(algorithm == LeafAlgorithm.RSA
                            // TLS 1.2's static RSA key exchange encrypts to the key, and clients check for that
                            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                            : KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(name))
                    .addExtension(Extension.subjectKeyIdentifier, false, leaf.identifier())
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            return new IssuedCertificate(leaf.keys().getPrivate(), sign(builder, keys), certificate);
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + name.getName() + ": " + e.getMessage(), e);
        }
    }

    private synchronized LeafKey leafKey(LeafAlgorithm algorithm) {
        LeafKey leaf = leafKeys.get(algorithm);
        if (leaf == null) {
            KeyPair pair = algorithm == LeafAlgorithm.EC ? newKeyPair() : newRsaKeyPair();
            try {
                leaf = new LeafKey(pair, SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()),
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the leaf key: " + e.getMessage(), e);
            }
            leafKeys.put(algorithm, leaf);
        }
        return leaf;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no ECDSA P-256 in this JVM: " + e.getMessage(), e);
        }
    }

    private static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA in this JVM: " + e.getMessage(), e);
        }
    }

    /** 127 random bits: positive, unique, at most 20 octets as RFC 5280 asks. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, RANDOM).setBit(126);
    }
}
