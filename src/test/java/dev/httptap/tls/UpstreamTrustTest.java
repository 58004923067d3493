package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTrustTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryCertificateOfAPemFile() throws IOException {
        Path file = dir.resolve("cas.pem");
        Files.writeString(file, pem(CertificateAuthority.create(Instant.now())) + pem(CertificateAuthority.create(Instant.now())));
        assertEquals(2, UpstreamTrust.readCertificates(file).size());
    }

    @Test
    void unusableFilesAreNamedWithTheReason() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a certificate\n");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");
        assertEquals("--ca-file " + dir + ": is a directory", refusal(dir));
        assertEquals("--ca-file " + dir.resolve("missing.pem") + ": no such file or directory", refusal(dir.resolve("missing.pem")));
        assertEquals("--ca-file " + text + ": not a certificate file (PEM or DER): No certificate data found", refusal(text));
        assertEquals("--ca-file " + empty + ": no certificate in it", refusal(empty));
    }

    private static String refusal(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> UpstreamTrust.readCertificates(file)).getMessage();
    }

    private static String pem(CertificateAuthority ca) {
        return Pem.certificate(ca.certificate());
    }
}
