package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./httptap launcher where it cannot run httptap: no JVM to start, a copy of it alone, a checkout it
 * cannot build. Each time one line saying what to do, not bash's error or Maven's messages. And run by sh.
 */
class LauncherIT {
    private static final String USER = E2eSettings.unprivilegedUser();
    private static final String OR_RELEASE = ", or install a release (README: Install)";
    private static final String INSTALL = "install openjdk-17-jre-headless (Debian/Ubuntu) or java-17-openjdk-headless"
            + " (Fedora), or set JAVA_HOME";

    @TempDir
    Path emptyDir;

    @Test
    void noJavaOnThePathSaysWhichToInstall() {
        // bash named by path: the launcher's "#!/usr/bin/env bash" would not find it on this PATH.
        ProcessRun run = Httptap.command("true")
                .wrappedIn("env", "-u", "JAVA_HOME", "-u", "HTTPTAP_JAVA", "PATH=" + emptyDir, "/bin/bash").run();

        assertAll(run.describe(),
                () -> assertEquals(1, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: java 17 or newer not found: " + INSTALL), run.stderrLines()));
    }

    @Test
    void aMissingHttptapJavaIsNamed() {
        Path missing = emptyDir.resolve("java");
        ProcessRun run = Httptap.command("true").wrappedIn("env", "HTTPTAP_JAVA=" + missing).run();

        assertAll(run.describe(),
                () -> assertEquals(1, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: java 17 or newer not found (HTTPTAP_JAVA=" + missing + "): " + INSTALL),
                        run.stderrLines()));
    }

    @Test
    void runBySh() {
        ProcessRun run = Route.DIRECT.run("sh", Httptap.launcher().toString(), "--version");

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.stdoutText().startsWith("httptap "), "the version line"));
    }

    @Test
    void aCopyAloneSaysToLinkInstead() throws IOException {
        Path copy = Files.copy(Httptap.launcher(), emptyDir.resolve("httptap"));
        ProcessRun run = Route.DIRECT.run(copy.toString(), "--version");

        assertAll(run.describe(),
                () -> assertEquals(1, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: no httptap beside " + copy + " (a copy of the launcher?): run it where it"
                        + " was unpacked or built, or link to it (ln -s)"), run.stderrLines()));
    }

    @Test
    void noMavenToBuildWith() throws IOException {
        Path checkout = unbuiltCheckout("rwxr-xr-x");
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessRun run = Route.DIRECT.run("env", "HTTPTAP_JAVA=" + java, "PATH=" + emptyDir, "/bin/bash",
                checkout.resolve("httptap").toString(), "--", "true");

        assertCannotBuild(run, checkout, "building it needs Maven (mvn), which is not on the PATH: install maven (and a JDK"
                + " 17+)" + OR_RELEASE);
    }

    @Test
    void aReadOnlyCheckout() throws IOException {
        Path checkout = unbuiltCheckout("rwxr-xr-x");
        ProcessRun run = Route.DIRECT.run("runuser", "-u", USER, "--", checkout.resolve("httptap").toString(), "--", "true");

        assertCannotBuild(run, checkout, checkout + " is not writable by you (a read-only checkout): build it where it is"
                + " writable (mvn -DskipTests package)" + OR_RELEASE);
    }

    @Test
    void anotherUsersBuild() throws IOException {
        Path checkout = unbuiltCheckout("rwxrwxrwx");
        Files.setPosixFilePermissions(Files.createDirectory(checkout.resolve("target")), PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessRun run = Route.DIRECT.run("runuser", "-u", USER, "--", checkout.resolve("httptap").toString(), "--", "true");

        assertCannotBuild(run, checkout, checkout + "/target is not writable by you (another user's build?): build it as its"
                + " owner (mvn -DskipTests package), or use a checkout of your own" + OR_RELEASE);
    }

    /** The launcher and a pom.xml, owned by root with {@code permissions}, reachable by every user; no build. */
    private Path unbuiltCheckout(String permissions) throws IOException {
        Files.setPosixFilePermissions(emptyDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path checkout = Files.createDirectory(emptyDir.resolve("checkout"));
        Files.copy(Httptap.launcher(), checkout.resolve("httptap"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.setPosixFilePermissions(checkout, PosixFilePermissions.fromString(permissions));
        return checkout;
    }

    private static void assertCannotBuild(ProcessRun run, Path checkout, String why) {
        assertAll(run.describe(),
                () -> assertEquals(1, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: " + checkout + "/target/httptap.jar is missing or older than the sources,"
                        + " and " + why), run.stderrLines()));
    }
}
