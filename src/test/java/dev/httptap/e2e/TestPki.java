package dev.httptap.e2e;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The test's own private PKI, made with Bouncy Castle independently of httptap's CA code: a CA, and a
 * server certificate from it for host.httptap.local and 127.0.0.1 (or one with a {@link Flaw}), and a client
 * certificate from it ({@link #writeClientPem}, for servers that ask for one). httptap
 * trusts the CA only through {@code --ca-file}, like a company's private CA.
 */
final class TestPki {
    /** The common name of the client certificate. */
    static final String CLIENT_NAME = "httptap e2e client";

    private final X509Certificate ca;
    private final SSLContext serverContext;
    private final X509Certificate server;
    private final PrivateKey serverKey;
    private final X509Certificate client;
    private final PrivateKey clientKey;

    private TestPki(X509Certificate ca, SSLContext serverContext, X509Certificate server, PrivateKey serverKey,
            X509Certificate client, PrivateKey clientKey) {
        this.ca = ca;
        this.serverContext = serverContext;
        this.server = server;
        this.serverKey = serverKey;
        this.client = client;
        this.clientKey = clientKey;
    }

    /** The server's key and certificate as PEM files, for servers that are not Java (node). */
    record PemFiles(Path key, Path certificate) {}

    /** What is wrong with the server's certificate, as hostile or neglected servers have it. */
    enum Flaw {
        NONE,
        /** Its validity ended yesterday. */
        EXPIRED,
        /** It names wrong.example.test alone. */
        WRONG_NAME,
        /** It is signed by its own key, not by the CA. */
        SELF_SIGNED
    }

    static TestPki create() {
        return create(Flaw.NONE);
    }

    static TestPki create(Flaw flaw) {
        try {
            Instant now = Instant.now();
            KeyPair caKeys = rsaKeys();
            X500Name caName = new X500Name("CN=httptap e2e test CA");
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                            caName, caKeys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
            KeyPair serverKeys = rsaKeys();
            Instant notAfter = flaw == Flaw.EXPIRED ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofDays(1));
            String name = flaw == Flaw.WRONG_NAME ? "wrong.example.test" : Httptap.HOST;
            GeneralName[] names = flaw == Flaw.WRONG_NAME ? new GeneralName[] {new GeneralName(GeneralName.dNSName, name)}
                    : new GeneralName[] {new GeneralName(GeneralName.dNSName, name),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")};
            X500Name subject = new X500Name("CN=" + name);
            boolean selfSigned = flaw == Flaw.SELF_SIGNED;
            X509Certificate server = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(selfSigned ? subject : caName, BigInteger.valueOf(now.toEpochMilli() + 1),
                            Date.from(now.minus(Duration.ofDays(2))), Date.from(notAfter), subject, serverKeys.getPublic())
                            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                            .build(new JcaContentSignerBuilder("SHA256withRSA")
                                    .build((selfSigned ? serverKeys : caKeys).getPrivate())));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverKeys.getPrivate(), new char[0],
                    selfSigned ? new X509Certificate[] {server} : new X509Certificate[] {server, ca});
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(keys, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            KeyPair clientKeys = rsaKeys();
            X509Certificate client = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(now.toEpochMilli() + 2),
                            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                            new X500Name("CN=" + CLIENT_NAME), clientKeys.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
            return new TestPki(ca, context, server, serverKeys.getPrivate(), client, clientKeys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test PKI", e);
        }
    }

    /** For {@link LocalHttpServer#startTls}. */
    SSLContext serverContext() {
        return serverContext;
    }

    /** Writes the CA certificate as PEM into {@code dir}; returns the file. */
    Path writeCaPem(Path dir) throws IOException {
        return writePem(dir.resolve("test-ca.pem"), "CERTIFICATE", encoded(ca));
    }

    /** Writes the server's private key (PKCS#8) and certificate as PEM into {@code dir}. */
    PemFiles writeServerPem(Path dir) throws IOException {
        return new PemFiles(writePem(dir.resolve("server-key.pem"), "PRIVATE KEY", serverKey.getEncoded()),
                writePem(dir.resolve("server-cert.pem"), "CERTIFICATE", encoded(server)));
    }

    /** Writes the client's private key (PKCS#8) and certificate as PEM into {@code dir}. */
    PemFiles writeClientPem(Path dir) throws IOException {
        return new PemFiles(writePem(dir.resolve("client-key.pem"), "PRIVATE KEY", clientKey.getEncoded()),
                writePem(dir.resolve("client-cert.pem"), "CERTIFICATE", encoded(client)));
    }

    private static byte[] encoded(X509Certificate certificate) throws IOException {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    private static Path writePem(Path file, String label, byte[] der) throws IOException {
        Files.writeString(file, "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n");
        return file;
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
