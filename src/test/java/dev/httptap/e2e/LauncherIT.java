package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./httptap launcher without a JVM to start: one line saying which to install, not bash's error. */
class LauncherIT {
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
}
