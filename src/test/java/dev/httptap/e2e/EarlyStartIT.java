package dev.httptap.e2e;

import static dev.httptap.e2e.EarlyStartCache.AWAIT_JAVA_NOTE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.files.DirectoryTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher's early start (native-helper/lead.c): with a plan from an earlier run, the command starts
 * before the JVM, which boots beside it. Each test has its own cache: a first run primes the plan, the
 * next is early, which each test checks through the JVM's environment ({@link EarlyStartCache}). Orders
 * are shown by files and by wrappers that wait for them, never by timing.
 */
class EarlyStartIT {
    /** Long enough for any JVM start here; a run that waits for a JVM that never comes fails within it. */
    private static final Duration STUCK = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private EarlyStartCache cache;

    @BeforeEach
    void newCache() {
        cache = new EarlyStartCache(dir);
    }

    /**
     * The JVM's wrapper waits for the command's mark before exec'ing java, and the command looks for the
     * wrapper's mark first: "command first" is possible only if the command does not wait for the JVM. It
     * then makes a request, which the JVM serves once it is up.
     */
    @Test
    void theCommandStartsBeforeTheJvmAndIsServedOnceItIsUp() throws IOException {
        cache.prime();
        Path javaAfterCommand = cache.javaScript("java-after-command", """
                i=0; while [ ! -e "$EARLY_DIR/command-started" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
                : > "$EARLY_DIR/java-started"
                exec %s "$@"
                """.formatted(EarlyStartCache.realJava()));
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/hello";
            ProcessRun run = cache.tapped(Httptap.command("sh", "-c", """
                            if [ -e "$EARLY_DIR/java-started" ]; then echo "java first"; else echo "command first"; fi
                            : > "$EARLY_DIR/command-started"
                            curl -sS "$1"
                            """, "sh", url), javaAfterCommand).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals("command first\n" + LocalHttpServer.HELLO_BODY, run.programStdout()),
                    () -> assertEquals(List.of("---> GET " + url, "<--- 200 " + url),
                            ProcessRun.exchangeLines(run.stdoutLines()).stream().map(EarlyStartIT::withoutDetails).toList()));
        }
    }

    /**
     * The trust bundle the command reads in its first instruction, while the JVM may not be running, already
     * holds the kept CA: curl trusting only what was read then accepts the certificate httptap makes.
     */
    @Test
    void theTrustBundleHoldsTheCaFromTheCommandsFirstInstruction() throws IOException {
        cache.prime();
        TestPki pki = TestPki.create();
        try (LocalHttpServer server = LocalHttpServer.startTls(pki.serverContext())) {
            String url = "https://" + Httptap.HOST + ":" + server.port() + "/hello";
            // --insecure: httptap does not know the test's CA (--ca-file is not an early-start option).
            ProcessRun run = cache.tapped(Httptap.command("sh", "-c", """
                            cat "$SSL_CERT_FILE" > "$EARLY_DIR/bundle-seen"
                            curl -sS --cacert "$EARLY_DIR/bundle-seen" "$1"
                            """, "sh", url).flags("--insecure")).run();

            assertEquals(0, run.exitCode(), run.describe());
            assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), run.describe());
            Path caDir = cache.assertStartedEarly();
            String caPem = Files.readString(caDir.resolve("httptap-ca.crt"), StandardCharsets.US_ASCII);
            assertTrue(caPem.startsWith("-----BEGIN CERTIFICATE-----"), caPem);
            assertTrue(Files.readString(dir.resolve("bundle-seen"), StandardCharsets.US_ASCII).endsWith(caPem),
                    "the bundle the command read first ends with the kept CA");
        }
    }

    /**
     * A command that sends nothing never waits for the JVM: here the "JVM" never gets anywhere (it sleeps),
     * so a launcher that waited for it would hang. It is gone when httptap has exited.
     */
    @Test
    void aSilentCommandDoesNotWaitForTheJvmWhichIsGoneAfterwards() {
        cache.prime();
        String marker = "httptap-e2e-stuck-jvm-" + UUID.randomUUID();
        Path stuckJava = cache.javaScript("stuck-java", """
                exec python3 -c 'import time; time.sleep(600)' %s
                """.formatted(marker));

        ProcessRun run = cache.tapped(Httptap.command("true"), stuckJava).timeout(STUCK).run();

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(ProcessTable.awaitCondition(Duration.ofSeconds(10), () -> ProcessTable.withArgument(marker).isEmpty()),
                "the stuck JVM was killed: " + ProcessTable.withArgument(marker));
    }

    /** The same with the real JVM, which the launcher kills while it boots: no java is left behind. */
    @Test
    void theRealJvmOfASilentEarlyRunIsGoneAfterwards() {
        cache.prime();
        String marker = "-Dhttptap.e2e.marker=" + UUID.randomUUID();

        ProcessRun run = cache.tapped(Httptap.command("sh", "-c", AWAIT_JAVA_NOTE))
                .wrappedIn("env", "HTTPTAP_JAVA_OPTS=" + marker).run();

        assertEquals(0, run.exitCode(), run.describe());
        cache.assertStartedEarly();
        assertTrue(ProcessTable.awaitCondition(Duration.ofSeconds(10), () -> ProcessTable.withArgument(marker).isEmpty()),
                "no JVM left: " + ProcessTable.withArgument(marker));
    }

    /** A datagram sent just before the command exits waits in the TUN queue: the lead waits for the JVM to relay it. */
    @Test
    void theLastDatagramOfAShortCommandIsRelayed() throws IOException {
        cache.prime();
        try (UdpEchoServer server = UdpEchoServer.start()) {
            ProcessRun run = cache.tapped(Httptap.command("python3", "-c", """
                    import socket, sys
                    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"last words", (sys.argv[1], int(sys.argv[2])))
                    """, Httptap.HOST_ADDRESS, Integer.toString(server.port()))).run();

            assertEquals(0, run.exitCode(), run.describe());
            cache.assertStartedEarly();
            assertTrue(ProcessTable.awaitCondition(Duration.ofSeconds(10), () -> server.peers().size() == 1),
                    "the echo server got the datagram: " + server.peers());
        }
    }

    /** A HAR file that cannot be written ends the run with the slow path's message and exit code. */
    @Test
    void anUnwritableHarFileFailsAsOnTheSlowPath() {
        String har = "/nonexistent-dir-" + UUID.randomUUID() + "/x.har";
        String message = "httptap: --dump-har " + har + ": no such file or directory";
        ProcessRun slow = cache.tapped(Httptap.command("true").flags("--dump-har", har)).run();
        assertEquals(1, slow.exitCode(), slow.describe());
        assertTrue(slow.stderrText().startsWith(message), slow.describe());
        cache.prime();

        ProcessRun early = cache.tapped(Httptap.command("sh", "-c", AWAIT_JAVA_NOTE).flags("--dump-har", har)).run();

        assertEquals(1, early.exitCode(), early.describe());
        assertTrue(early.stderrText().contains(message), early.describe());
        cache.assertStartedEarly();
    }

    /** A bad --filter expression is reported even when the command sends nothing and ends first. */
    @Test
    void aBadFilterIsReportedWhenTheCommandEndsFirst() {
        cache.prime();

        ProcessRun early = cache.tapped(Httptap.command("true").flags("--filter", "bogus")).run();

        assertEquals(2, early.exitCode(), early.describe());
        assertEquals(List.of("httptap: --filter 'bogus': 'bogus' is not key=value"), early.stderrLines(), early.describe());
        cache.assertStartedEarly();
    }

    /** httptap started with stdin closed gives its command a closed stdin, on both paths. */
    @Test
    void aClosedStdinStaysClosedForTheCommand() {
        for (String path : List.of("slow", "early")) {
            ProcessRun run = cache.tapped(Httptap.command("sh", "-c", AWAIT_JAVA_NOTE + """
                            exec python3 -c '
                            import os
                            try:
                                os.fstat(0)
                                print("stdin open")
                            except OSError as e:
                                print("stdin closed" if e.errno == 9 else e)
                            '
                            """))
                    .wrappedIn("bash", "-c", "exec \"$@\" <&-", "bash").run();

            assertEquals(0, run.exitCode(), path + ": " + run.describe());
            assertEquals("stdin closed\n", run.stdoutText(), path + ": " + run.describe());
            if (path.equals("slow")) {
                cache.assertMissed("no plan yet");
            } else {
                cache.assertStartedEarly();
            }
            cache.forgetJavaNote();
        }
    }

    /**
     * The exit code, and a death by signal as 128+N, pass through an early run: for a command that ends
     * before the JVM serves it (the lead reports), and for one the JVM served (the JVM reports).
     */
    @ParameterizedTest
    @ValueSource(strings = {"exit 7", "kill -TERM $$"})
    void theExitCodePassesThrough(String end) throws IOException {
        int expected = end.startsWith("exit") ? 7 : 128 + 15;
        cache.prime();
        ProcessRun silent = cache.tapped(Httptap.command("sh", "-c", AWAIT_JAVA_NOTE + end)).run();
        assertEquals(expected, silent.exitCode(), silent.describe());
        cache.assertStartedEarly();
        cache.forgetJavaNote();

        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/hello";
            ProcessRun served = cache.tapped(Httptap.command("sh", "-c", "curl -sS \"$1\" >/dev/null; " + end, "sh", url))
                    .run();

            assertEquals(expected, served.exitCode(), served.describe());
            assertEquals(2, ProcessRun.exchangeLines(served.stdoutLines()).size(), served.describe());
            cache.assertStartedEarly();
        }
    }

    /**
     * A sandbox the plan cannot make (a file it mounts has gone from the kept CA's directory) ends the run
     * with the helper's message, and the plan is not tried again: the next run takes the slow path, which
     * makes the file anew. (Tried again, it had failed every run alike.)
     */
    @Test
    void aSandboxThatCannotBeMadeEndsTheRunAndItsPlanIsDropped() throws IOException {
        cache.prime();
        Path resolvConf = cache.keptCaFile("resolv.conf");
        Files.delete(resolvConf);

        ProcessRun failed = cache.tapped(Httptap.command("true")).run();

        assertAll(() -> assertEquals(1, failed.exitCode(), failed.describe()),
                () -> assertTrue(failed.stderrText().contains("httptap: cannot bind mount " + resolvConf), failed.describe()),
                () -> assertTrue(Files.notExists(cache.planFile()), "the plan is gone"));

        cache.forgetJavaNote();
        ProcessRun next = cache.tapped(Httptap.command("true")).run();
        assertEquals(0, next.exitCode(), next.describe());
        cache.assertMissed("no plan yet");
        assertTrue(Files.exists(resolvConf), "made anew");
    }

    /**
     * A kept CA whose key was emptied cannot serve an early run's TLS connections: the run says so once (not
     * once per connection, and not only with -v), removes the CA, and the next run makes a new one and
     * intercepts again. (It had failed every run alike, silently.)
     */
    @Test
    void aKeptCaThatCannotBeReadIsSaidOnceAndMadeAnewByTheNextRun() throws IOException {
        cache.prime();
        Path key = cache.keptCaFile("ca.key");
        Files.writeString(key, "");
        TestPki pki = TestPki.create();
        Path caFile = pki.writeCaPem(dir);
        try (LocalHttpServer server = LocalHttpServer.startTls(pki.serverContext())) {
            String url = "https://" + Httptap.HOST + ":" + server.port() + "/hello";
            Httptap twoRequests = Httptap.command("sh", "-c", "curl -sS -o /dev/null \"$1\"; curl -sS -o /dev/null \"$1\"; true",
                    "sh", url).flags("--ca-file", caFile.toString());

            ProcessRun broken = cache.tapped(twoRequests).run();
            cache.assertStartedEarly();
            cache.forgetJavaNote();
            List<String> said = broken.stderrLines().stream().filter(line -> line.startsWith("httptap: cannot read the kept CA in ")).toList();
            assertAll(() -> assertEquals(1, said.size(), broken.describe()),
                    () -> assertTrue(said.get(0).endsWith("removed it; the next run makes a new one; the command's TLS"
                            + " connections are reset in this run"), broken.describe()),
                    () -> assertTrue(Files.notExists(key.getParent()), "the kept CA is gone"));

            ProcessRun next = cache.tapped(twoRequests).run();
            assertAll(() -> assertEquals(0, next.exitCode(), next.describe()),
                    () -> assertEquals(4, ProcessRun.exchangeLines(next.stdoutLines()).size(), next.describe()),
                    () -> assertTrue(next.stderrText().isEmpty(), next.describe()));
        }
    }

    /**
     * The kept CA's trust files, emptied since they were written, are written again before the next command
     * reads them: it sees the whole bundle, not an empty one. (They had stayed empty, for every later run.)
     */
    @Test
    void emptiedTrustFilesOfTheKeptCaAreWrittenAgain() throws IOException {
        cache.prime();
        Path bundle = cache.keptCaFile("ca-bundle.crt");
        String whole = Files.readString(bundle, StandardCharsets.US_ASCII);
        Files.writeString(bundle, "");
        Files.writeString(cache.keptCaFile("cacerts"), "");

        ProcessRun run = cache.tapped(Httptap.command("sh", "-c", "wc -c < /etc/ssl/certs/ca-certificates.crt")).run();

        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(whole.length() + "\n", run.programStdout(), run.describe());
        assertTrue(Files.size(cache.keptCaFile("cacerts")) > 0, "the Java trust store, written again");
    }

    /**
     * Chromium's copy of the NSS database, deleted from the kept CA's directory: the run whose plan mounts it
     * fails as any such run does, and the next one makes the copy again, with the CA in it. (It had been
     * mounted empty from then on, until the CA was renewed: Chromium trusted nothing of httptap's.)
     */
    @Test
    void aBrowsersCopyDeletedFromTheKeptCaIsMadeAgain() throws IOException {
        Path database = dir.resolve("home/.pki/nssdb");
        Files.createDirectories(database);
        assertEquals(0, Route.DIRECT.run("certutil", "-N", "-d", "sql:" + database, "--empty-password").exitCode());
        Httptap listing = Httptap.command("sh", "-c", "certutil -L -d sql:$HOME/.pki/nssdb | grep -c 'httptap CA'")
                .wrappedIn("env", "HOME=" + dir.resolve("home"));
        ProcessRun priming = cache.tapped(listing).run();
        assertEquals("1\n", priming.programStdout(), priming.describe());
        DirectoryTree.delete(cache.keptCaFile("nssdb"));

        ProcessRun failed = cache.tapped(listing).run();
        ProcessRun next = cache.tapped(listing).run();

        assertAll(() -> assertTrue(failed.stderrText().contains("cannot bind mount"), failed.describe()),
                () -> assertEquals(0, next.exitCode(), next.describe()),
                () -> assertEquals("1\n", next.programStdout(), "the CA in Chromium's database\n" + next.describe()));
    }

    /**
     * Options that change the namespace set-up (--uid, --gid, --user) or must be checked before the command
     * starts (--stack, HTTPTAP_STACK) are not in the plan: the launcher steps aside and the JVM does as it
     * would without a plan, before any command runs.
     */
    @Test
    void idsAndTheStackChoiceStepAsideForTheJvm() {
        cache.prime();
        ProcessRun uid = cache.tapped(Httptap.command("id", "-u").flags("--uid", "1234")).run();
        assertEquals("1234\n", uid.programStdout(), uid.describe());
        cache.assertMissed("an option the plan does not cover");
        cache.forgetJavaNote();

        ProcessRun stack = cache.tapped(Httptap.command("true")).wrappedIn("env", "HTTPTAP_STACK=gvisor").run();
        assertEquals(List.of("httptap: HTTPTAP_STACK=gvisor: this implementation has one TCP/IP stack of its own, used"
                + " whatever the choice"), stack.stderrLines(), stack.describe());
        cache.assertMissed("an HTTPTAP_ variable is set");
        cache.forgetJavaNote();

        Path ran = dir.resolve("ran");
        ProcessRun bad = cache.tapped(Httptap.command("touch", ran.toString())).wrappedIn("env", "HTTPTAP_STACK=lwip").run();
        assertAll(bad.describe(),
                () -> assertEquals(2, bad.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: HTTPTAP_STACK=lwip: expected gvisor or homegrown"), bad.stderrLines()),
                () -> assertTrue(Files.notExists(ran), "the command never ran"));
    }

    /** An exchange line without what follows the URL (status text, sizes, times). */
    private static String withoutDetails(String line) {
        String[] words = line.split(" ");
        return String.join(" ", List.of(words).subList(0, Math.min(3, words.length)));
    }
}
