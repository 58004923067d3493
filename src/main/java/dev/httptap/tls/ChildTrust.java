package dev.httptap.tls;

import dev.httptap.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Makes the child trust the run's CA without any flag: a PEM bundle (the system's CAs and the run's CA)
 * meant to be mounted over the system bundles, a Java trust store (the JDK's CAs and the run's CA) meant
 * to be mounted over the JDK's {@code cacerts}, environment variables pointing common clients at them, and
 * the browsers' own ({@link BrowserTrust}).
 * The files are created empty first, so they can be mounted while the CA is still being made, and filled
 * in place (same inode, so mounts see the content) before the child runs.
 */
public final class ChildTrust {
    /** Where distributions keep the PEM bundle OpenSSL, GnuTLS and friends read by default. */
    static final List<Path> SYSTEM_BUNDLES = List.of(
            Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
            Path.of("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"),
            Path.of("/etc/ssl/ca-bundle.pem"),
            Path.of("/etc/ssl/cert.pem"),
            Path.of("/etc/pki/tls/cert.pem"));
    /** Variables naming a CA bundle file, for clients that do not read the system one. */
    static final List<String> BUNDLE_VARIABLES = List.of("SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE",
            "DENO_CERT", "GIT_SSL_CAINFO", "CARGO_HTTP_CAINFO", "AWS_CA_BUNDLE", "PIP_CERT");
    /** Node adds this file's CAs to its own built-in list, so it gets only the run's CA. */
    static final String NODE_VARIABLE = "NODE_EXTRA_CA_CERTS";
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();
    private static final String CA_ALIAS = "httptap-ca";

    private final Path bundle;
    private final Path caCertificate;
    private final Path javaTrustStore;

    private ChildTrust(Path bundle, Path caCertificate, Path javaTrustStore) {
        this.bundle = bundle;
        this.caCertificate = caCertificate;
        this.javaTrustStore = javaTrustStore;
    }

    /**
     * Creates the empty files in {@code privateDir}, readable by all: they hold only certificates (the CA's
     * key is never written), and a {@code --user} child must read them through the mounts.
     */
    public static ChildTrust prepare(Path privateDir) throws IOException {
        ChildTrust trust = in(privateDir);
        for (Path file : List.of(trust.bundle, trust.caCertificate, trust.javaTrustStore)) {
            emptyFile(file);
        }
        return trust;
    }

    /** The files in {@code dir}, made there by {@link #prepare} earlier (a kept CA's directory). */
    public static ChildTrust in(Path dir) {
        return new ChildTrust(dir.resolve("ca-bundle.crt"), dir.resolve("httptap-ca.crt"), dir.resolve("cacerts"));
    }

    /** The CA certificate alone (PEM). */
    public Path caCertificate() {
        return caCertificate;
    }

    /**
     * The files {@link #write} copies from: a change to any of them (a CA added to the system, a new JDK)
     * means the files need writing again. Includes candidates that do not exist, whose appearance counts.
     */
    public static List<Path> sources() {
        List<Path> sources = new ArrayList<>(SYSTEM_BUNDLES);
        sources.add(jdkSecurityFile("cacerts"));
        sources.add(jdkSecurityFile("jssecacerts"));
        return sources;
    }

    /** A file of this JDK's security directory, where its trust stores are. */
    private static Path jdkSecurityFile(String name) {
        return Path.of(System.getProperty("java.home"), "lib", "security", name);
    }

    /** The PEM bundle, to mount over each of {@link #bundleTargets}. */
    public Path bundle() {
        return bundle;
    }

    /** The Java trust store, to mount over each of {@link #javaTrustStoreTargets}. */
    public Path javaTrustStore() {
        return javaTrustStore;
    }

    /** The system PEM bundles that exist here, each once (symbolic links resolved). */
    public static List<Path> bundleTargets() {
        return existingRealFiles(SYSTEM_BUNDLES);
    }

    /** The JDKs' {@code cacerts} files that exist here: this JDK's, Debian's shared one, every /usr/lib/jvm one. */
    public static List<Path> javaTrustStoreTargets() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(jdkSecurityFile("cacerts"));
        candidates.add(Path.of("/etc/ssl/certs/java/cacerts"));
        candidates.add(Path.of("/etc/pki/java/cacerts"));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(jvms)) {
                for (Path jdk : entries) {
                    candidates.add(jdk.resolve("lib/security/cacerts"));
                    candidates.add(jdk.resolve("jre/lib/security/cacerts"));
                }
            } catch (IOException e) {
                // an unreadable directory just offers no candidates
            }
        }
        return existingRealFiles(candidates);
    }

    /**
     * The variables to add to the child's environment. With {@code mounted}, they name the system bundle
     * the child sees (our copy, mounted there), which a child running as another user ({@code --user})
     * can read; otherwise the files here, readable by this user only (their directory is private).
     */
    public Map<String, String> environment(boolean mounted) {
        List<Path> targets = bundleTargets();
        boolean useMounted = mounted && !targets.isEmpty();
        String bundlePath = (useMounted ? targets.get(0) : bundle).toString();
        Map<String, String> variables = new LinkedHashMap<>();
        for (String name : BUNDLE_VARIABLES) {
            variables.put(name, bundlePath);
        }
        variables.put(NODE_VARIABLE, useMounted ? bundlePath : caCertificate.toString());
        return variables;
    }

    /**
     * Whether the files {@link #write} filled are still whole: the CA's certificate there, the bundle ending
     * with it, the Java trust store not empty. A kept CA's files damaged since (emptied, cut short) are then
     * written again, rather than given as they are to every later child, whose TLS would all fail.
     */
    public boolean intact() {
        try {
            String caPem = Files.readString(caCertificate, StandardCharsets.US_ASCII);
            return !caPem.isEmpty() && Files.readString(bundle, StandardCharsets.US_ASCII).endsWith(caPem)
                    && Files.size(javaTrustStore) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fills the files for {@code ca}, in place. */
    public void write(CertificateAuthority ca) throws IOException {
        String caPem = Pem.certificate(ca.certificate());
        rewrite(caCertificate, caPem.getBytes(StandardCharsets.US_ASCII));
        rewrite(bundle, (systemBundle() + caPem).getBytes(StandardCharsets.US_ASCII));
        rewrite(javaTrustStore, javaTrustStore(ca.certificate()));
    }

    /**
     * Fills the browsers' copies ({@link BrowserTrust}) for the CA {@link #write} wrote. Made from other
     * files than the rest ({@link BrowserTrust#sources}), they are written again on their own.
     */
    public void writeBrowsers() {
        try {
            BrowserTrust.in(caCertificate.getParent()).write(caCertificate);
        } catch (IOException e) {
            // The other clients' trust holds; a browser's check then fails as it would without httptap.
            Log.error("browsers will not trust httptap's CA: %s", e.getMessage());
        }
    }

    /** The first system bundle's text, ending with a newline, or nothing when there is none. */
    private static String systemBundle() throws IOException {
        for (Path candidate : bundleTargets()) {
            String text = Files.readString(candidate, StandardCharsets.ISO_8859_1);
            return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        }
        return "";
    }

    /**
     * The JDK's trusted CAs and ours: the JDK's own {@code cacerts} with ours added when it is a JKS (no
     * certificate parsed), otherwise a PKCS12 store without encryption or MAC made from the JDK's trust
     * anchors. Any JVM reads either with or without the password "changeit".
     */
    static byte[] javaTrustStore(X509Certificate ours) throws IOException {
        Path jdkStore = jdkSecurityFile("cacerts");
        Path jdkOverride = jdkStore.resolveSibling("jssecacerts");
        if (System.getProperty("javax.net.ssl.trustStore") == null && !Files.exists(jdkOverride)
                && Files.isRegularFile(jdkStore)) {
            try {
                Optional<byte[]> added = JksTrustStore.withTrustedCertificate(Files.readAllBytes(jdkStore),
                        STORE_PASSWORD, CA_ALIAS, ours.getEncoded(), System.currentTimeMillis());
                if (added.isPresent()) {
                    return added.get();
                }
            } catch (CertificateEncodingException e) {
                throw new IOException("cannot encode the CA's certificate: " + e.getMessage(), e);
            }
        }
        return pkcs12TrustStore(ours);
    }

    private static byte[] pkcs12TrustStore(X509Certificate ours) throws IOException {
        try {
            KeyStore store;
            synchronized (System.class) {
                String certProtection = System.getProperty("keystore.pkcs12.certProtectionAlgorithm");
                String mac = System.getProperty("keystore.pkcs12.macAlgorithm");
                System.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
                System.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
                try {
                    store = KeyStore.getInstance("PKCS12");
                    store.load(null, null);
                    X509Certificate[] anchors = UpstreamTrust.defaultAnchors();
                    for (int i = 0; i < anchors.length; i++) {
                        store.setCertificateEntry("system-" + i, anchors[i]);
                    }
                    store.setCertificateEntry(CA_ALIAS, ours);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    store.store(out, STORE_PASSWORD);
                    return out.toByteArray();
                } finally {
                    restore("keystore.pkcs12.certProtectionAlgorithm", certProtection);
                    restore("keystore.pkcs12.macAlgorithm", mac);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the Java trust store: " + e.getMessage(), e);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static List<Path> existingRealFiles(List<Path> candidates) {
        return existingReal(candidates, Files::isRegularFile);
    }

    /** The candidates that exist here as {@code kind}, each once, symbolic links resolved. */
    static List<Path> existingReal(List<Path> candidates, Predicate<Path> kind) {
        Set<Path> found = new LinkedHashSet<>();
        for (Path candidate : candidates) {
            try {
                if (kind.test(candidate)) {
                    found.add(candidate.toRealPath());
                }
            } catch (IOException e) {
                // vanished or unreadable: not a target
            }
        }
        return List.copyOf(found);
    }

    private static Path emptyFile(Path file) throws IOException {
        Set<PosixFilePermission> readableByAll = PosixFilePermissions.fromString("rw-r--r--");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(readableByAll));
        return Files.setPosixFilePermissions(file, readableByAll); // a strict umask (077) took "r--r--" away
    }

    /**
     * Fills an empty file in place (same inode), so that mounts made before it was filled show the content;
     * replaces one with content by renaming a new file over it, so that a child of a concurrent run reading
     * it through its mount reads the old content whole instead of a truncated file. (A kept CA's files are
     * written again when the system's CAs change; the run doing it then shows its own child the old
     * bundle, which holds the same CA.)
     */
    private static void rewrite(Path file, byte[] content) throws IOException {
        if (Files.size(file) == 0) {
            Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return;
        }
        Set<PosixFilePermission> readableByAll = PosixFilePermissions.fromString("rw-r--r--");
        Path replacement = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".new",
                PosixFilePermissions.asFileAttribute(readableByAll));
        try {
            Files.setPosixFilePermissions(replacement, readableByAll); // a strict umask took "r--r--" away
            Files.write(replacement, content, StandardOpenOption.WRITE);
            Files.move(replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(replacement);
        }
    }
}
