package dev.httptap.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDK's default trust anchors as stored, by subject, so that a chain's possible anchors can be found and
 * parsed alone. Names are compared as encoded: a chain whose issuer is encoded otherwise than its CA's
 * subject finds nothing here and is checked against the whole store, as before.
 */
final class AnchorIndex {
    private final Map<ByteBuffer, List<byte[]>> bySubject = new HashMap<>();

    private AnchorIndex(List<byte[]> certificates) {
        for (byte[] certificate : certificates) {
            CertificateNames.subject(certificate).ifPresent(subject ->
                    bySubject.computeIfAbsent(ByteBuffer.wrap(subject), key -> new ArrayList<>(1)).add(certificate));
        }
    }

    /**
     * The store the JDK's default trust manager reads, when it is found as that manager finds it and is a JKS
     * of trusted certificates; empty otherwise (a PKCS12 store, a trust store named by system properties),
     * and then every chain is checked against the whole store.
     */
    static Optional<AnchorIndex> ofDefaultTrustStore() {
        if (System.getProperties().stringPropertyNames().stream().anyMatch(name -> name.startsWith("javax.net.ssl.trustStore"))) {
            return Optional.empty();
        }
        Path security = Path.of(System.getProperty("java.home"), "lib", "security");
        Path store = Files.exists(security.resolve("jssecacerts")) ? security.resolve("jssecacerts") : security.resolve("cacerts");
        try {
            return of(Files.readAllBytes(store));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<AnchorIndex> of(byte[] jks) {
        return JksTrustStore.trustedCertificates(jks).map(AnchorIndex::new);
    }

    /** The stored certificates whose subject is the subject or the issuer of a certificate of {@code chain}. */
    List<byte[]> anchorsFor(X509Certificate[] chain) {
        List<byte[]> anchors = new ArrayList<>(2);
        for (X509Certificate certificate : chain) {
            addNamed(certificate.getIssuerX500Principal().getEncoded(), anchors);
            addNamed(certificate.getSubjectX500Principal().getEncoded(), anchors);
        }
        return anchors;
    }

    private void addNamed(byte[] name, List<byte[]> anchors) {
        for (byte[] anchor : bySubject.getOrDefault(ByteBuffer.wrap(name), List.of())) {
            if (!anchors.contains(anchor)) {
                anchors.add(anchor);
            }
        }
    }
}
