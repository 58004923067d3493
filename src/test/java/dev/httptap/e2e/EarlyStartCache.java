package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A private httptap cache ({@code XDG_CACHE_HOME}) for one test, so that its early-start plan and kept CA
 * are its own, and a java wrapper ({@code HTTPTAP_JAVA}) that notes how the launcher started the JVM: its
 * {@code HTTPTAP_EARLY_*} variables go to {@link #javaNote()} before it execs the real java. The commands
 * find the test's directory in {@code $EARLY_DIR}.
 */
final class EarlyStartCache {
    /**
     * Shell text for a command to wait (at most 30 s) until the JVM's wrapper has noted how it was started:
     * a silent command's early run ends the JVM at once, maybe before it noted anything.
     */
    static final String AWAIT_JAVA_NOTE =
            "i=0; while [ ! -e \"$EARLY_DIR/java-env\" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; ";

    private final Path dir;
    private final Path noting;

    EarlyStartCache(Path dir) {
        this.dir = dir;
        this.noting = javaScript("noting-java", """
                env | grep '^HTTPTAP_EARLY' > "$EARLY_DIR/java-env.partial"
                mv "$EARLY_DIR/java-env.partial" "$EARLY_DIR/java-env"
                exec %s "$@"
                """.formatted(realJava()));
    }

    /** The test's directory ({@code $EARLY_DIR}). */
    Path dir() {
        return dir;
    }

    Path planFile() {
        return dir.resolve("cache/httptap/early-start.plan");
    }

    /** The file of the kept CA's directory whose name starts with {@code prefix} (there is one kept CA). */
    Path keptCaFile(String prefix) {
        try (var files = Files.walk(dir.resolve("cache/httptap/ca"))) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code run} with this cache and the noting java wrapper. */
    Httptap tapped(Httptap run) {
        return tapped(run, noting);
    }

    /** {@code run} with this cache and {@code java} as the JVM the launcher starts. */
    Httptap tapped(Httptap run, Path java) {
        return run.wrappedIn("env", "XDG_CACHE_HOME=" + dir.resolve("cache"), "EARLY_DIR=" + dir, "HTTPTAP_JAVA=" + java);
    }

    /** An executable shell script in the test's directory. */
    Path javaScript(String name, String body) {
        try {
            Path script = dir.resolve(name);
            Files.writeString(script, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java binary running this test, which runs httptap too. */
    static String realJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code httptap -- true} without a plan: the JVM starts it and writes the plan the next run uses. */
    void prime() {
        ProcessRun run = tapped(Httptap.command("true")).run();
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals("HTTPTAP_EARLY_MISS=no plan yet\n", javaNote().orElse(""), "the priming run is a miss");
        assertTrue(Files.isRegularFile(planFile()), "the priming run wrote a plan\n" + run.describe());
        forgetJavaNote();
    }

    /** What the noting wrapper wrote for the last run, if it ran. */
    Optional<String> javaNote() {
        try {
            Path note = dir.resolve("java-env");
            return Files.exists(note) ? Optional.of(Files.readString(note, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forgetJavaNote() {
        try {
            Files.deleteIfExists(dir.resolve("java-env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the last run's JVM was started beside an early-started command, and returns its CA directory. */
    Path assertStartedEarly() {
        String note = javaNote().orElse("(the JVM never started)");
        assertTrue(note.startsWith("HTTPTAP_EARLY_START="), "the run started early, but the JVM saw: " + note);
        return Path.of(note.strip().split(" ", 2)[1]);
    }

    /** Asserts that the last run was a plan miss for {@code reason}. */
    void assertMissed(String reason) {
        assertEquals("HTTPTAP_EARLY_MISS=" + reason + "\n", javaNote().orElse("(the JVM never started)"));
    }
}
