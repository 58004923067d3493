package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's text is read by native-helper/plan.c: these are the lines it expects, byte for byte. */
class EarlyStartPlanTest {
    private static final Path CA_DIR = Path.of("/home/u/.cache/httptap/ca/1767225600-0a1b2c3d");

    @TempDir
    Path temp;

    private static EarlyStartPlan plan(List<FileStamp> checks, Map<String, String> environment, List<String> helperOptions) {
        return new EarlyStartPlan(Instant.ofEpochSecond(1_767_225_600L), CA_DIR, Path.of("/opt/httptap/httptap.jar"), checks,
                List.of("HTTPTAP_VERBOSE", "HTTPTAP_DUMP_HAR"),
                List.of(new EarlyStartPlan.Flag("--head", false, false),
                        new EarlyStartPlan.Flag("--filter", true, false),
                        new EarlyStartPlan.Flag("--dump-har", true, true),
                        new EarlyStartPlan.Flag("--summary", false, true)),
                List.of(new EarlyStartPlan.Need("chromium", Path.of("/home/u/.pki/nssdb"))),
                environment, helperOptions, List.of("--ipv6-address", "fd00::2"));
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt");
        environment.put("NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/ca-certificates.crt");
        return environment;
    }

    @Test
    void theTextIsOneItemALineInThePlanFormat() {
        List<FileStamp> checks = List.of(new FileStamp(Path.of("/opt/httptap/httptap.jar"), 1234, 1_700_000_000_000_000_001L, true),
                new FileStamp(Path.of("/etc/pki/tls/cert.pem"), 0, 0, false));

        Optional<String> text = plan(checks, environment(), List.of("--tun", "httptap0", "--mount", "/a b=/etc/c d")).text();

        assertEquals(Optional.of("""
                httptap-early-start 1
                expires 1767225600
                ca /home/u/.cache/httptap/ca/1767225600-0a1b2c3d
                jar /opt/httptap/httptap.jar
                check 1234 1700000000000000001 /opt/httptap/httptap.jar
                check absent 0 /etc/pki/tls/cert.pem
                quiet HTTPTAP_VERBOSE
                quiet HTTPTAP_DUMP_HAR
                flag --head 0
                flag --filter 1
                flag --dump-har 1 finish
                flag --summary 0 finish
                need chromium /home/u/.pki/nssdb
                env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
                env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
                arg --tun
                arg httptap0
                arg --mount
                arg /a b=/etc/c d
                arg6 --ipv6-address
                arg6 fd00::2
                """), text);
    }

    /** The format has no escapes: a value runs to the line's end, so a line end in one means no plan. */
    @Test
    void aValueWithALineEndOrNulMakesNoPlan() {
        assertEquals(Optional.empty(), plan(List.of(), environment(), List.of("two\nlines")).text());
        assertEquals(Optional.empty(), plan(List.of(), environment(), List.of("carriage\rreturn")).text());
        assertEquals(Optional.empty(), plan(List.of(), Map.of("X", "a\0b"), List.of()).text());
        assertEquals(Optional.empty(), plan(List.of(), Map.of("X", "line\nend"), List.of()).text());
    }

    @Test
    void aCheckOnAFileWhoseNameHasALineEndMakesNoPlan() {
        FileStamp unwritable = new FileStamp(Path.of("/tmp/bad\nname"), 1, 1, true);

        assertEquals(Optional.empty(), plan(List.of(unwritable), environment(), List.of()).text());
    }

    @Test
    void writingReplacesTheOldPlanWithAnOwnerOnlyFileAndLeavesNothingElse() throws Exception {
        Path file = Files.writeString(temp.resolve("early-start.plan"), "an old plan\n");
        EarlyStartPlan plan = plan(List.of(), environment(), List.of("--tun", "httptap0"));

        assertTrue(plan.writeTo(file));

        assertEquals(plan.text().orElseThrow(), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var entries = Files.list(temp)) {
            assertEquals(List.of(file), entries.toList(), "no partial file left");
        }
    }

    @Test
    void aPlanThatCannotBeTextWritesNothing() throws Exception {
        Path file = temp.resolve("early-start.plan");

        assertFalse(plan(List.of(), environment(), List.of("two\nlines")).writeTo(file));

        try (var entries = Files.list(temp)) {
            assertEquals(List.of(), entries.toList());
        }
    }
}
