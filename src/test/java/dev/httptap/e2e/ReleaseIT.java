package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball mvn package leaves in target/ (src/build/release.sh), used as a user would: unpacked
 * into a read-only directory owned by root and run as the ordinary user (httptap.e2e.user) from another
 * directory through a symbolic link; and installed under a prefix by scripts/install, then uninstalled.
 */
class ReleaseIT {
    private static final String USER = E2eSettings.unprivilegedUser();
    private static final String VERSION_LINE = "httptap \\S+ \\((commit [0-9a-f]{12}(, modified)?|unknown commit)\\)";

    @TempDir
    Path temp;

    @BeforeAll
    static void runsAsRoot() {
        assertEquals("0\n", Route.DIRECT.run("id", "-u").stdoutText(), "the release tests run as root (tar, runuser)");
    }

    /** target/httptap-VERSION-linux-ARCH{kind}.tar.gz of this build's version: kind "" or "-runtime". */
    private static Path tarball(String kind) throws IOException {
        String name = "httptap-" + System.getProperty("httptap.version") + "-linux-";
        try (Stream<Path> files = Files.list(E2eSettings.projectHome().resolve("target"))) {
            List<Path> found = files.filter(file -> file.getFileName().toString().startsWith(name)
                    && file.getFileName().toString().matches(".*-linux-[^-]+" + kind + "\\.tar\\.gz")).toList();
            assertEquals(1, found.size(), "one " + name + "ARCH" + kind + ".tar.gz in target/ (mvn package makes it): " + found);
            return found.get(0);
        }
    }

    private static Path tarball() throws IOException {
        return tarball("");
    }

    /** The release's top directory (httptap-VERSION), unpacked from {@code tarball} into {@code into}. */
    private static Path unpack(Path tarball, Path into) throws IOException {
        assertEquals(0, Route.DIRECT.run("tar", "-xzf", tarball.toString(), "-C", into.toString()).exitCode(), "tar");
        try (Stream<Path> tops = Files.list(into)) {
            return tops.findFirst().orElseThrow();
        }
    }

    /** A directory every user can enter and read, owned by root. */
    private Path openDirectory(String name) throws IOException {
        Path dir = Files.createDirectory(temp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** The tarball unpacked read-only, owned by root, and a link to its bin/httptap in another directory. */
    private Path readOnlyReleaseLink() throws IOException {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path unpacked = openDirectory("opt");
        Path release = unpack(tarball(), unpacked);
        assertEquals(0, Route.DIRECT.run("chmod", "-R", "a-w", unpacked.toString()).exitCode());
        return Files.createSymbolicLink(openDirectory("bin").resolve("httptap"), release.resolve("bin/httptap"));
    }

    @Test
    void readOnlyReleaseRunsAsAnOrdinaryUserThroughALink() throws IOException {
        Path link = readOnlyReleaseLink();
        Path elsewhere = openDirectory("elsewhere");
        String[] fromElsewhere = {"env", "--chdir=" + elsewhere};

        ProcessRun version = Route.DIRECT.run("runuser", "-u", USER, "--", "env", "--chdir=" + elsewhere, link.toString(), "--version");
        // The launcher answers --version from lib/version; the jar's own answer must be the same line.
        Path jar = link.toRealPath().getParent().resolveSibling("lib").resolve("httptap.jar");
        ProcessRun jarVersion = Route.DIRECT.run(ProcessHandle.current().info().command().orElseThrow(), "-jar", jar.toString(), "--version");
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
            ProcessRun run = Httptap.command("curl", "-s", url).via(link).wrappedIn(OpenTun.wrapperFor(USER)).asUser(USER)
                    .wrappedIn(fromElsewhere).run();

            assertAll(version.describe() + "\n" + run.describe(),
                    () -> assertTrue(version.stdoutText().strip().matches(VERSION_LINE), "httptap --version"),
                    () -> assertEquals(jarVersion.stdoutText(), version.stdoutText(), "the jar's --version"),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"),
                    () -> assertEquals(Exchange.withBody("GET", url, 200, LocalHttpServer.HELLO_BODY).lines(),
                            ProcessRun.exchangeLines(run.stdoutLines()), "exchange lines"),
                    () -> assertEquals("", run.stderrText(), "nothing on stderr: no build, no note"));
        }
    }

    /**
     * The first run starts a training run in the background that leaves an AppCDS archive in the user's cache;
     * the next run's JVM loads classes from it (-Xlog:class+load names the archive as their source).
     */
    @Test
    void theFirstRunLeavesAnArchiveTheNextRunUses() throws IOException, InterruptedException {
        Path link = readOnlyReleaseLink();
        Path cache = openDirectory("cache");
        assertEquals(0, Route.DIRECT.run("chown", USER, cache.toString()).exitCode());
        Path classLog = cache.resolve("classes.log");
        String[] asUser = {"runuser", "-u", USER, "--", "env", "XDG_CACHE_HOME=" + cache};

        ProcessRun first = Route.DIRECT.run(concat(OpenTun.wrapperFor(USER), asUser, new String[] {link.toString(), "--", "true"}));
        Path archives = cache.resolve("httptap/cds");
        awaitArchive(archives);
        ProcessRun next = Route.DIRECT.run(concat(asUser, new String[] {"HTTPTAP_JAVA_OPTS=-Xlog:class+load:file=" + classLog,
            link.toString(), "--help"}));
        long fromArchive;
        try (Stream<String> lines = Files.lines(classLog)) {
            fromArchive = lines.filter(line -> line.contains("source: shared objects file (top)")).count();
        }

        long archived = fromArchive;
        assertAll(first.describe() + "\n" + next.describe(),
                () -> assertEquals(0, first.exitCode(), "the first run"),
                () -> assertEquals(0, next.exitCode(), "the next run"),
                () -> assertTrue(archived > 100, "classes from the archive: " + archived));
    }

    /** Waits, at most a minute, for a finished archive (*.jsa) in {@code dir}; fails if none comes. */
    private static void awaitArchive(Path dir) throws IOException, InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(file -> file.toString().endsWith(".jsa"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no AppCDS archive in " + dir + " a minute after the first run");
    }

    private static String[] concat(String[]... parts) {
        return Stream.of(parts).flatMap(Stream::of).toArray(String[]::new);
    }

    @Test
    void installsUnderAPrefixAndUninstallsExactlyThat() throws IOException {
        Path prefix = Files.createDirectory(temp.resolve("prefix"));
        Path theirs = Files.writeString(Files.createDirectories(prefix.resolve("bin")).resolve("other-tool"), "kept\n");
        String install = E2eSettings.projectHome().resolve("scripts/install").toString();

        ProcessRun installed = Route.DIRECT.run(install, "--prefix", prefix.toString(), "--tarball", tarball().toString());
        Path command = prefix.resolve("bin/httptap");
        Path completion = prefix.resolve("share/bash-completion/completions/httptap");
        boolean linked = Files.isSymbolicLink(command);
        ProcessRun version = Route.DIRECT.run(command.toString(), "--version");
        ProcessRun completes = Route.DIRECT.run("bash", "-c", "source \"$1\" && complete -p httptap", "bash", completion.toString());
        ProcessRun uninstalled = Route.DIRECT.run(install, "--prefix", prefix.toString(), "--uninstall");
        List<Path> left;
        try (Stream<Path> files = Files.walk(prefix)) {
            left = files.toList();
        }

        assertAll(installed.describe() + "\n" + version.describe() + "\n" + completes.describe() + "\n" + uninstalled.describe(),
                () -> assertEquals(0, installed.exitCode(), "install"),
                () -> assertTrue(linked, "bin/httptap is a link"),
                () -> assertTrue(version.stdoutText().strip().matches(VERSION_LINE), "the installed httptap --version"),
                () -> assertTrue(completes.stdoutText().startsWith("complete "), "bash completion for httptap"),
                () -> assertEquals(0, uninstalled.exitCode(), "uninstall"),
                () -> assertEquals(List.of(prefix, theirs.getParent(), theirs), left, "only what was there before"));
    }

    /** The -runtime tarball (mvn -Pself-contained, as scripts/test builds) on a PATH with no java at all. */
    @Test
    void selfContainedRunsWithNoJavaOnThePath() throws IOException {
        assumeTrue(Boolean.getBoolean("httptap.selfContained"), "built without -Pself-contained (scripts/test sets it)");
        Path release = unpack(tarball("-runtime"), Files.createDirectory(temp.resolve("opt")));
        Path tools = Files.createDirectory(temp.resolve("tools"));
        // What the launcher and its background training run call, and the client: no java among them.
        for (String tool : List.of("bash", "readlink", "mkdir", "nice", "mv", "rm", "curl")) {
            Files.createSymbolicLink(tools.resolve(tool), onThePath(tool));
        }
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
            ProcessRun run = Httptap.command("curl", "-s", url).via(release.resolve("bin/httptap"))
                    .wrappedIn("env", "-u", "JAVA_HOME", "-u", "HTTPTAP_JAVA", "PATH=" + tools).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"),
                    () -> assertEquals(Exchange.withBody("GET", url, 200, LocalHttpServer.HELLO_BODY).lines(),
                            ProcessRun.exchangeLines(run.stdoutLines()), "exchange lines"));
        }
    }

    private static Path onThePath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, tool)).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new IllegalStateException(tool + " is not on the PATH"));
    }

    @Test
    void installLeavesAnHttptapItDidNotMakeAlone() throws IOException {
        Path prefix = Files.createDirectory(temp.resolve("prefix"));
        Path theirs = Files.writeString(Files.createDirectories(prefix.resolve("bin")).resolve("httptap"), "someone else's\n");
        ProcessRun run = Route.DIRECT.run(E2eSettings.projectHome().resolve("scripts/install").toString(),
                "--prefix", prefix.toString(), "--tarball", tarball().toString());
        List<Path> left;
        try (Stream<Path> files = Files.walk(prefix)) {
            left = files.toList();
        }

        assertAll(run.describe(),
                () -> assertEquals(1, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("install: " + theirs + " exists and is not from a previous scripts/install: remove it"
                        + " first"), run.stderrLines()),
                () -> assertEquals("someone else's\n", Files.readString(theirs), "their file"),
                () -> assertEquals(List.of(prefix, theirs.getParent(), theirs), left, "nothing added"));
    }
}
