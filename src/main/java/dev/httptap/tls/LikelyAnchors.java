package dev.httptap.tls;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * For a chain, a manager over the anchors that can end it: the {@code --ca-file} certificates, and the
 * trust store's CAs whose subject the chain names ({@link AnchorIndex}), parsed when first named. One
 * manager per set of anchors, kept for the run (there are at most as many sets as anchors in practice).
 */
final class LikelyAnchors implements Function<X509Certificate[], Optional<X509ExtendedTrustManager>> {
    /** Makes the JDK's manager over a list of anchors. */
    interface ManagerFactory {
        X509ExtendedTrustManager over(List<X509Certificate> anchors) throws GeneralSecurityException;
    }

    private final List<X509Certificate> userAnchors;
    private final Optional<AnchorIndex> stored;
    private final ManagerFactory factory;
    private final Map<List<ByteBuffer>, Optional<X509ExtendedTrustManager>> managers = new HashMap<>();

    LikelyAnchors(List<X509Certificate> userAnchors, Optional<AnchorIndex> stored, ManagerFactory factory) {
        this.userAnchors = List.copyOf(userAnchors);
        this.stored = stored;
        this.factory = factory;
    }

    /** Empty when no anchor is known to fit the chain: then only the whole trust store can decide. */
    @Override
    public synchronized Optional<X509ExtendedTrustManager> apply(X509Certificate[] chain) {
        List<ByteBuffer> named = stored.map(index -> index.anchorsFor(chain)).orElse(List.of())
                .stream().map(ByteBuffer::wrap).toList();
        if (named.isEmpty() && userAnchors.isEmpty()) {
            return Optional.empty();
        }
        return managers.computeIfAbsent(named, this::managerOver);
    }

    private Optional<X509ExtendedTrustManager> managerOver(List<ByteBuffer> named) {
        try {
            List<X509Certificate> anchors = new ArrayList<>(userAnchors);
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            for (ByteBuffer certificate : named) {
                anchors.add((X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(certificate.array())));
            }
            return Optional.of(factory.over(anchors));
        } catch (GeneralSecurityException e) {
            return Optional.empty(); // a stored certificate the JDK cannot read: the whole store decides
        }
    }
}
