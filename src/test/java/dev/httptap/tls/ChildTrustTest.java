package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildTrustTest {
    private final CertificateAuthority ca = CertificateAuthority.create(Instant.now());

    @TempDir
    Path dir;

    @Test
    void filesAreCreatedEmptyThenFilledInPlace() throws Exception {
        ChildTrust trust = ChildTrust.prepare(dir);
        assertEquals(0, Files.size(trust.bundle()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(trust.bundle())));
        Object inode = Files.readAttributes(trust.bundle(), "unix:ino").get("ino");

        trust.write(ca);

        assertEquals(inode, Files.readAttributes(trust.bundle(), "unix:ino").get("ino"), "mounts keep seeing the file");
        String bundle = Files.readString(trust.bundle());
        assertTrue(bundle.endsWith(Pem.certificate(ca.certificate())));
        for (Path system : ChildTrust.bundleTargets()) {
            assertTrue(bundle.startsWith(Files.readString(system).substring(0, 100)), "starts with " + system);
        }
    }

    @Test
    void filledFilesAreReplacedWholeSoThatAReaderOfTheOldOnesReadsThemToTheEnd() throws Exception {
        ChildTrust trust = ChildTrust.prepare(dir);
        trust.write(ca);
        byte[] before = Files.readAllBytes(trust.bundle());
        CertificateAuthority next = CertificateAuthority.create(Instant.now());

        try (InputStream concurrentReader = Files.newInputStream(trust.bundle())) {
            trust.write(next);

            assertArrayEquals(before, concurrentReader.readAllBytes());
        }
        assertTrue(Files.readString(trust.bundle()).endsWith(Pem.certificate(next.certificate())));
        assertEquals(Pem.certificate(next.certificate()), Files.readString(trust.caCertificate()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(trust.bundle())));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("ca-bundle.crt", "cacerts", "httptap-ca.crt"),
                    files.map(file -> file.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void theJavaTrustStoreReadsWithoutAPasswordAndHoldsTheSystemCasAndOurs() throws Exception {
        ChildTrust trust = ChildTrust.prepare(dir);
        trust.write(ca);
        for (char[] password : new char[][] {null, "changeit".toCharArray()}) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(Files.readAllBytes(trust.javaTrustStore())), password);
            assertEquals(ca.certificate(), store.getCertificate("httptap-ca"));
            assertEquals(UpstreamTrust.defaultAnchors().length + 1, store.size());
        }
    }

    @Test
    void withoutMountsTheEnvironmentPointsClientsAtTheFilesHere() throws Exception {
        ChildTrust trust = ChildTrust.prepare(dir);
        for (String name : ChildTrust.BUNDLE_VARIABLES) {
            assertEquals(trust.bundle().toString(), trust.environment(false).get(name), name);
        }
        assertEquals(dir.resolve("httptap-ca.crt").toString(), trust.environment(false).get("NODE_EXTRA_CA_CERTS"));
    }

    @Test
    void withMountsTheEnvironmentNamesTheMountedSystemBundle() throws Exception {
        ChildTrust trust = ChildTrust.prepare(dir);
        String expected = ChildTrust.bundleTargets().isEmpty() ? trust.bundle().toString()
                : ChildTrust.bundleTargets().get(0).toString();
        assertEquals(expected, trust.environment(true).get("SSL_CERT_FILE"));
        assertEquals(expected, trust.environment(true).get("NODE_EXTRA_CA_CERTS"));
        assertTrue(trust.environment(true).keySet().containsAll(java.util.List.of("SSL_CERT_FILE", "CURL_CA_BUNDLE",
                "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "DENO_CERT", "GIT_SSL_CAINFO", "CARGO_HTTP_CAINFO",
                "AWS_CA_BUNDLE", "PIP_CERT")));
    }

    @Test
    void targetsAreExistingFilesWithLinksResolved() {
        for (Path target : ChildTrust.javaTrustStoreTargets()) {
            assertTrue(Files.isRegularFile(target) && !Files.isSymbolicLink(target), target.toString());
        }
        assertEquals(ChildTrust.javaTrustStoreTargets().size(), ChildTrust.javaTrustStoreTargets().stream().distinct().count());
    }
}
