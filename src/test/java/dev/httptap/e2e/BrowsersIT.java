package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsers trust the tap with no flag (httptap mounts an NSS database with its CA over ~/.pki/nssdb for
 * Chromium, and Firefox's policy directory with a policy installing it): Chromium headless, as root and
 * as an ordinary user with its own sandbox on, and Firefox ESR headless, as root and as an ordinary user,
 * load a page from a local HTTP/2 server (node's) through httptap, whose exchanges print. Each run has a
 * home of its own, so that the user's real files are never at stake, and the test checks they are left as
 * they were.
 */
class BrowsersIT {
    private static final TestPki PKI = TestPki.create();
    private static final String USER = E2eSettings.unprivilegedUser();
    private static final String[] PRIVATE_OPEN_TUN = OpenTun.PRIVATE_DEVICE;

    /** The server's files and the homes, removed by JUnit at the end. */
    @TempDir
    static Path temp;
    private static NodeHttp2Server server;

    @BeforeAll
    static void startServer() throws IOException {
        server = NodeHttp2Server.startTls(temp, PKI.writeServerPem(temp));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        server.close();
    }

    private static String url(String path) {
        return "https://" + Httptap.HOST + ":" + server.port() + path;
    }

    /**
     * A new home (0755, owned by {@code owner}) with the test CA for --ca-file and no ~/.pki: httptap makes
     * ~/.pki/nssdb for Chromium.
     */
    private static Path home(String owner) throws IOException {
        Path home = Files.createTempDirectory(temp, "home");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        PKI.writeCaPem(home);
        ProcessRun chown = Route.DIRECT.run("chown", "-R", owner, home.toString());
        assertEquals(0, chown.exitCode(), chown.describe());
        return home;
    }

    private static String caFile(Path home) {
        return home.resolve("test-ca.pem").toString();
    }

    private static Httptap inHome(Httptap httptap, Path home) {
        return httptap.wrappedIn("env", "-u", "XDG_CACHE_HOME", "HOME=" + home);
    }

    @Test
    void chromiumAsRootTrustsTheTapOverHttp2() throws IOException {
        Path home = home("root");
        Path jsonl = home.resolve("exchanges.jsonl");
        String url = url("/chromium-root");
        ProcessRun run = inHome(Httptap.command("chromium", "--headless=new", "--no-sandbox", "--dump-dom", url)
                .flags("--ca-file", caFile(home), "--dump-jsonl", jsonl.toString()), home).run();

        assertFetched(run, url, "hello over h2 /chromium-root", jsonl);
        assertTrue(Files.isDirectory(home.resolve(".pki/nssdb")), "~/.pki/nssdb made for Chromium");
        try (var entries = Files.list(home.resolve(".pki/nssdb"))) {
            assertEquals(0, entries.count(), "the real ~/.pki/nssdb stays empty: the database was mounted over it");
        }
    }

    @Test
    void chromiumAsAnOrdinaryUserWithItsSandbox() throws IOException {
        Path home = home(USER);
        Path jsonl = home.resolve("exchanges.jsonl");
        String url = url("/chromium-user");
        ProcessRun run = inHome(Httptap.command("chromium", "--headless=new", "--dump-dom", url)
                .flags("--ca-file", caFile(home), "--dump-jsonl", jsonl.toString())
                .wrappedIn(PRIVATE_OPEN_TUN).asUser(USER), home).run();

        assertFetched(run, url, "hello over h2 /chromium-user", jsonl);
        assertFalse(run.stderrText().contains("No usable sandbox"), run.describe());
    }

    /** The command sees the user's entries and the CA; the user's own database is the same, byte for byte. */
    @Test
    void theUsersNssEntriesAreKeptAndTheirDatabaseUnchanged() throws IOException {
        Path home = home("root");
        Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
        String database = "sql:" + nssdb;
        assertEquals(0, Route.DIRECT.run("certutil", "-N", "-d", database, "--empty-password").exitCode());
        assertEquals(0, Route.DIRECT.run("certutil", "-A", "-d", database, "-t", "C,,", "-n", "the user's own CA",
                "-i", caFile(home)).exitCode());
        List<byte[]> before = contents(nssdb);

        ProcessRun run = inHome(Httptap.command("certutil", "-L", "-d", database), home).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.stdoutText().contains("the user's own CA"), "the user's entry"),
                () -> assertTrue(run.stdoutText().contains("httptap CA"), "the tap's CA"));
        List<byte[]> after = contents(nssdb);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "file " + i + " of the user's database");
        }
    }

    @Test
    void firefoxEsrTrustsTheTap() throws IOException {
        Path home = home("root");
        Path profile = Files.createDirectories(home.resolve("profile"));
        Path screenshot = home.resolve("page.png");
        Path jsonl = home.resolve("exchanges.jsonl");
        Path distribution = Path.of("/usr/lib/firefox-esr/distribution").toRealPath();
        List<byte[]> distributionBefore = contents(distribution);
        String url = url("/firefox");
        ProcessRun run = inHome(Httptap.command("firefox-esr", "--headless", "--no-remote", "--profile", profile.toString(),
                        "--screenshot", screenshot.toString(), url)
                .flags("--ca-file", caFile(home), "--dump-jsonl", jsonl.toString()), home).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(Files.size(screenshot) > 0, "the screenshot"),
                () -> assertTrue(ProcessRun.exchangeLines(run.stdoutLines()).contains("<--- 200 " + url + " (" + "hello over h2 /firefox\n".length() + " bytes)"),
                        "the exchange line"),
                () -> assertTrue(Files.readString(jsonl).contains("\"httpVersion\":\"HTTP/2\""), "HTTP/2"),
                () -> assertFalse(Files.exists(distribution.resolve("httptap-ca.crt")), "nothing added outside"));
        List<byte[]> distributionAfter = contents(distribution);
        assertEquals(distributionBefore.size(), distributionAfter.size(), "the distribution directory's files");
    }

    /** As an ordinary user, httptap's mount of the policy directory is made in the user's own namespaces. */
    @Test
    void firefoxEsrAsAnOrdinaryUserTrustsTheTap() throws IOException {
        Path home = home(USER);
        Path profile = home.resolve("profile");
        Path screenshot = home.resolve("page.png");
        String url = url("/firefox-user");
        ProcessRun mkdir = Route.DIRECT.run("runuser", "-u", USER, "--", "mkdir", profile.toString());
        assertEquals(0, mkdir.exitCode(), mkdir.describe());
        ProcessRun run = inHome(Httptap.command("firefox-esr", "--headless", "--no-remote", "--profile", profile.toString(),
                        "--screenshot", screenshot.toString(), url)
                .flags("--ca-file", caFile(home))
                .wrappedIn(PRIVATE_OPEN_TUN).asUser(USER), home).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(Files.size(screenshot) > 0, "the screenshot"),
                () -> assertTrue(ProcessRun.exchangeLines(run.stdoutLines()).contains(
                        "<--- 200 " + url + " (" + "hello over h2 /firefox-user\n".length() + " bytes)"), "the exchange line"));
    }

    private static void assertFetched(ProcessRun run, String url, String body, Path jsonl) {
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.programStdout().contains(body), "the page"),
                () -> assertTrue(ProcessRun.exchangeLines(run.stdoutLines()).contains("---> GET " + url), "the request line"),
                () -> assertTrue(ProcessRun.exchangeLines(run.stdoutLines()).contains(
                        "<--- 200 " + url + " (" + (body.length() + 1) + " bytes)"), "the response line"),
                () -> assertTrue(Files.readString(jsonl, StandardCharsets.UTF_8).contains("\"httpVersion\":\"HTTP/2\""),
                        "Chromium spoke HTTP/2"));
    }

    /** The regular files directly in {@code dir}, by name. */
    private static List<byte[]> contents(Path dir) throws IOException {
        List<byte[]> files = new ArrayList<>();
        try (var entries = Files.list(dir)) {
            for (Path file : entries.sorted().toList()) {
                if (Files.isRegularFile(file)) {
                    files.add(Files.readAllBytes(file));
                }
            }
        }
        return files;
    }
}
