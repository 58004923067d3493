package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.net.ssl.SSLException;
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

    @Test
    void aServerWhoseHandshakeMessageIsOverConscryptsLimitIsLaterTalkedToWithJsse() throws Exception {
        SSLException overLimit = new SSLException("Read error: ssl=0x7f: Failure in SSL library, usually a protocol error\n"
                + "error:10000096:SSL routines:OPENSSL_internal:EXCESSIVE_MESSAGE_SIZE (../ssl/s3_both.cc:525)");
        UpstreamContexts conscrypt = new UpstreamContexts(TlsLibrary.conscrypt(), new UpstreamTrust.TrustingEverything());
        assertFalse(conscrypt.fallsBackAfter("a.test:443", new SSLException("error:10000410:SSL routines:"
                + "OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE")));
        assertTrue(conscrypt.forServer("a.test:443").getProvider().getName().startsWith("Conscrypt"));
        assertTrue(conscrypt.fallsBackAfter("a.test:443", overLimit));
        assertEquals("SunJSSE", conscrypt.forServer("a.test:443").getProvider().getName());
        assertTrue(conscrypt.forServer("b.test:443").getProvider().getName().startsWith("Conscrypt"));

        UpstreamContexts jsse = new UpstreamContexts(TlsLibrary.jsse(), new UpstreamTrust.TrustingEverything());
        assertFalse(jsse.fallsBackAfter("a.test:443", overLimit), "JSSE's own limit is final");
    }

    private static String refusal(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> UpstreamTrust.readCertificates(file)).getMessage();
    }

    private static String pem(CertificateAuthority ca) {
        return Pem.certificate(ca.certificate());
    }
}
