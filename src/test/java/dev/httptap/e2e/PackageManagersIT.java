package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The programs users wrap most, fetching from repositories the test serves on 127.0.0.1
 * ({@link RepositoryServer}, {@link TinyPackages}): git (smart HTTP clone and push, dumb HTTP clone), npm,
 * pip, Maven and apt. Each runs twice: directly against 127.0.0.1, trusting the test's CA its own way (the
 * baseline, which checks the fixture), and under httptap against host.httptap.local with no trust option
 * at all, trusting httptap's CA through what httptap sets up. Under httptap it must succeed as directly,
 * make the same requests and get the same answers, and httptap must print one exchange per answer the
 * server gave, whatever requests the client chose to make.
 */
class PackageManagersIT {
    private static final TestPki PKI = TestPki.create();

    @TempDir
    Path dir;
    private Path site;
    private Path caFile;
    private RepositoryServer server;

    @BeforeEach
    void startServer() throws IOException {
        site = Files.createDirectory(dir.resolve("site"));
        caFile = PKI.writeCaPem(dir);
        server = RepositoryServer.startTls(site, PKI.serverContext());
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void gitClonesAndPushesOverSmartHttp() throws IOException {
        TinyPackages.gitRepository(dir, site);
        assertClones("/git/repo.git", "GET /git/repo.git/info/refs?service=git-upload-pack", "POST /git/repo.git/git-upload-pack");

        // More than http.postBuffer (1 MiB) of incompressible bytes each: git sends the pack chunked.
        for (String name : List.of("direct", "tapped")) {
            TinyPackages.shell(dir.resolve(name + "/repo"),
                    "head -c 2000000 /dev/urandom > big.bin && git add big.bin && git commit -qm big");
        }
        Runs pushes = runBothWays(server, List.of("GIT_SSL_CAINFO=" + caFile), (base, name) -> git("-C",
                dir.resolve(name + "/repo").toString(), "push", "-q", "origin", "HEAD:refs/heads/" + name), "--head");
        assertSameAndPrinted(pushes, "GET /git/repo.git/info/refs?service=git-receive-pack", "POST /git/repo.git/git-receive-pack");
        assertTrue(pushes.tapped().stdoutLines().contains("> Transfer-Encoding: chunked"), pushes.tapped()::describe);
        assertEquals(revision(dir.resolve("tapped/repo"), "HEAD"), revision(site.resolve("repo.git"), "tapped"),
                "the server has the pushed commit");
    }

    @Test
    void gitClonesOverDumbHttp() throws IOException {
        TinyPackages.gitRepository(dir, site);
        assertClones("/repo.git", "GET /repo.git/info/refs?service=git-upload-pack", "GET /repo.git/HEAD");
    }

    /** git clone of the repository at {@code path}, into direct/repo and tapped/repo; the tapped one has the README. */
    private void assertClones(String path, String... expectedRequests) throws IOException {
        Runs clones = runBothWays(List.of("GIT_SSL_CAINFO=" + caFile), (base, name) -> git(
                "-C", Files.createDirectories(dir.resolve(name)).toString(), "clone", base + path));
        assertSameAndPrinted(clones, expectedRequests);
        assertEquals(TinyPackages.README, Files.readString(dir.resolve("tapped/repo/README")));
    }

    @Test
    void npmInstallsFromARegistry() throws IOException {
        byte[] tarball = TinyPackages.npmTarball(dir, site);
        Path noConfig = Files.writeString(dir.resolve("npmrc"), "");
        Runs install = runBothWays(List.of(), (base, name) -> {
            TinyPackages.npmPackument(site, base, tarball);
            List<String> npm = new ArrayList<>(List.of("npm", "install", "--userconfig", noConfig.toString(),
                    "--registry", base + "/", "--prefix", dir.resolve(name).toString(), "--cache", dir.resolve(name + "-cache").toString(),
                    "--no-audit", "--no-fund", "--no-update-notifier", TinyPackages.NAME));
            if (name.equals("direct")) {
                npm.addAll(List.of("--cafile", caFile.toString()));
            }
            return npm.toArray(String[]::new);
        });
        assertSameAndPrinted(install, "GET /" + TinyPackages.NAME, "GET /" + TinyPackages.NPM_TARBALL);
        assertEquals(Files.readString(dir.resolve("npm-package/index.js")),
                Files.readString(dir.resolve("tapped/node_modules/" + TinyPackages.NAME + "/index.js")));
    }

    @Test
    void pipDownloadsFromASimpleIndex() throws IOException {
        byte[] wheel = TinyPackages.wheel(site);
        // requests, inside pip, prefers REQUESTS_CA_BUNDLE to pip's own --cert (PIP_CERT) when both are set.
        Runs download = runBothWays(List.of("PIP_CERT=" + caFile, "REQUESTS_CA_BUNDLE=" + caFile), (base, name) -> new String[] {"env",
                "PIP_CONFIG_FILE=/dev/null", "python3", "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                "--no-cache-dir", "--index-url", base + "/simple/", "-d", dir.resolve(name).toString(), TinyPackages.NAME});
        assertSameAndPrinted(download, "GET /simple/" + TinyPackages.NAME + "/", "GET /" + TinyPackages.WHEEL);
        assertArrayEquals(wheel, Files.readAllBytes(dir.resolve("tapped").resolve(Path.of(TinyPackages.WHEEL).getFileName())));
    }

    /** Maven runs on a JVM: the JDK's cacerts, which httptap mounts over, is what it trusts. */
    @Test
    void mavenResolvesThroughAMirror() throws Exception {
        byte[] jar = TinyPackages.mavenArtifact(site);
        String trustOnlyTheTestCa = String.join(" ", OwnTrustJvm.trustOnly(dir, caFile));
        Runs build = runBothWays(List.of("MAVEN_OPTS=" + trustOnlyTheTestCa), (base, name) -> {
            Path pom = TinyPackages.mavenProject(dir.resolve(name + "-project"), base);
            // Debian's Maven 3.8 starts its output with ESC[0m and no newline, whatever -Dstyle.color says: to a
            // file with it, so that httptap's first line is a line of its own on stdout.
            return new String[] {"sh", "-c", "mvn -B -q -f \"$1\" -s \"$2\" -Dmaven.repo.local=\"$3\" validate > \"$4\"", "sh",
                pom.toString(), pom.resolveSibling("settings.xml").toString(), dir.resolve(name).toString(),
                dir.resolve(name + "-maven.log").toString()};
        });
        String jarPath = "/" + TinyPackages.MAVEN_JAR;
        assertSameAndPrinted(build, "GET " + jarPath, "GET " + jarPath + ".sha1", "GET " + jarPath.replace(".jar", ".pom"));
        assertArrayEquals(jar, Files.readAllBytes(dir.resolve("tapped").resolve(TinyPackages.MAVEN_JAR.substring("maven/".length()))));
    }

    @Test
    void aptUpdatesAndDownloadsOverHttps() throws IOException {
        aptUpdatesAndDownloads(server);
    }

    /** apt's usual setup: plain HTTP (the packages are signed, not the connection). */
    @Test
    void aptUpdatesAndDownloadsOverHttp() throws IOException {
        try (RepositoryServer plain = RepositoryServer.startPlain(site)) {
            aptUpdatesAndDownloads(plain);
        }
    }

    private void aptUpdatesAndDownloads(RepositoryServer repository) throws IOException {
        byte[] deb = TinyPackages.debian(dir, site);
        Runs runs = runBothWays(repository, List.of(),
                (base, name) -> aptGet(base, name, name.equals("direct") ? caFile : null));
        assertSameAndPrinted(runs, "GET /" + TinyPackages.DEB);
        assertArrayEquals(deb, Files.readAllBytes(dir.resolve("tapped").resolve(Path.of(TinyPackages.DEB).getFileName())));
    }

    /**
     * apt told to trust its own CA file only (Acquire::https::CaInfo) refuses httptap's certificate, as GnuTLS
     * does (no alert: a close_notify or a reset after its ChangeCipherSpec); its retry passes through.
     */
    @Test
    void aptTrustingOnlyItsOwnCaIsPassedThroughAfterItsFirstRefusal() throws IOException {
        byte[] deb = TinyPackages.debian(dir, site);
        ProcessRun run = Httptap.command(aptGet(server.base(Httptap.HOST), "tapped", caFile))
                .flags("--ca-file", caFile.toString()).run();
        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(List.of("<--- PASSTHROUGH " + server.base(Httptap.HOST).substring("https://".length())
                        + ": the client does not trust httptap's CA"), ProcessRun.exchangeLines(run.stdoutLines())),
                () -> assertEquals("", run.stderrText()));
        assertArrayEquals(deb, Files.readAllBytes(dir.resolve("tapped").resolve(Path.of(TinyPackages.DEB).getFileName())));
    }

    /**
     * apt-get update, then download into NAME, with a configuration of its own (APT_CONFIG): none of the
     * machine's sources, lists or settings; {@code caInfo}: the only CA its https method trusts, or null.
     */
    private String[] aptGet(String base, String name, Path caInfo) throws IOException {
        // As root apt downloads as the user _apt, and says so on stderr when _apt cannot reach where the files go.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path into = Files.setPosixFilePermissions(Files.createDirectories(dir.resolve(name)),
                PosixFilePermissions.fromString("rwxrwxrwx"));
        return new String[] {"env", "APT_CONFIG=" + TinyPackages.aptConfiguration(dir.resolve(name + "-apt"), base, caInfo),
            "sh", "-c", "apt-get -q update && cd \"$1\" && apt-get -q download " + TinyPackages.NAME, "sh", into.toString()};
    }

    /** The two runs of one client command against {@code repository}, and what it answered each. */
    private record Runs(RepositoryServer repository, ProcessRun direct, List<RepositoryServer.Served> directServed,
            ProcessRun tapped, List<RepositoryServer.Served> tappedServed) {}

    /** A client's command line for the server at BASE, with "direct" or "tapped" to name its own files by. */
    private interface ClientCommand {
        String[] commandLine(String base, String name) throws IOException;
    }

    private Runs runBothWays(List<String> directTrust, ClientCommand client) throws IOException {
        return runBothWays(server, directTrust, client);
    }

    /** Runs the client directly with {@code directTrust} in its environment, then under httptap (with {@code flags}) without. */
    private Runs runBothWays(RepositoryServer repository, List<String> directTrust, ClientCommand client, String... flags)
            throws IOException {
        List<String> direct = new ArrayList<>(List.of("env"));
        direct.addAll(directTrust);
        direct.addAll(List.of(client.commandLine(repository.base("127.0.0.1"), "direct")));
        ProcessRun directRun = RunningCommand.run(E2eSettings.runTimeout(), direct);
        List<RepositoryServer.Served> directServed = repository.takeServed();
        ProcessRun tapped = Httptap.command(client.commandLine(repository.base(Httptap.HOST), "tapped"))
                .flags("--ca-file", caFile.toString()).flags(flags).run();
        return new Runs(repository, directRun, directServed, tapped, repository.takeServed());
    }

    /**
     * Both runs succeeded, with the same requests and answers and the same stderr, the expected requests among
     * them, and httptap printed one exchange per answer of the tapped run and nothing else.
     */
    private static void assertSameAndPrinted(Runs runs, String... expectedRequests) {
        String server = "\nserver: " + runs.repository().failures();
        assertEquals(0, runs.direct().exitCode(), () -> "the direct run (the baseline): " + runs.direct().describe() + server);
        String base = runs.repository().base(Httptap.HOST);
        List<String> expectedLines = runs.tappedServed().stream()
                .flatMap(answer -> new Exchange(answer.method(), base + answer.target(), answer.status(), answer.bodyBytes())
                        .lines().stream())
                .sorted().toList();
        ProcessRun tapped = runs.tapped();
        assertAll(tapped.describe() + server,
                () -> assertEquals(0, tapped.exitCode(), "exit code"),
                () -> assertEquals(requests(runs.directServed()), requests(runs.tappedServed()),
                        "the same requests and statuses, directly and under httptap"),
                () -> assertTrue(requests(runs.tappedServed()).containsAll(
                        Stream.of(expectedRequests).map(request -> request + " 200").toList()), "the expected requests"),
                () -> assertEquals(expectedLines, ProcessRun.exchangeLines(tapped.stdoutLines()).stream().sorted().toList(),
                        "one exchange printed per answer"),
                () -> assertEquals(runs.direct().stderrText(), tapped.stderrText(), "the client's stderr"));
    }

    /** "METHOD TARGET STATUS" of each answer, sorted: clients fetching in parallel finish in any order. */
    private static List<String> requests(List<RepositoryServer.Served> served) {
        return served.stream().map(answer -> answer.method() + " " + answer.target() + " " + answer.status()).sorted().toList();
    }

    private static String[] git(String... arguments) {
        return Stream.of(Stream.of("env"), TinyPackages.GIT_ENVIRONMENT.stream(), Stream.of("git"), Stream.of(arguments))
                .flatMap(Function.identity()).toArray(String[]::new);
    }

    private static String revision(Path repository, String name) {
        ProcessRun run = RunningCommand.run(E2eSettings.runTimeout(), List.of(git("-C", repository.toString(), "rev-parse", name)));
        assertEquals(0, run.exitCode(), run::describe);
        return run.stdoutText().strip();
    }
}
