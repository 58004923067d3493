package dev.httptap.e2e;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/** The suite's knobs, all system properties with defaults sized for a small machine. */
final class E2eSettings {
    private E2eSettings() {}

    /** The project directory holding ./httptap (failsafe sets it; a plain IDE run uses the working directory). */
    static Path projectHome() {
        return Path.of(System.getProperty("httptap.home", ".")).toAbsolutePath().normalize();
    }

    /** A script the tests run inside the tap, from src/test/resources/dev/httptap/e2e. */
    static Path script(String name) {
        try {
            return Path.of(E2eSettings.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test script " + name, e);
        }
    }

    /** Upper bound for one ordinary command run through httptap. */
    static Duration runTimeout() {
        return Duration.ofSeconds(Long.getLong("httptap.e2e.timeoutSeconds", 60));
    }

    /** Size of the large download and upload (default 256 MiB). */
    static long largeTransferBytes() {
        return Long.getLong("httptap.e2e.largeBytes", 256L * 1024 * 1024);
    }

    /** Upper bound for one large transfer. */
    static Duration largeTransferTimeout() {
        return Duration.ofSeconds(Long.getLong("httptap.e2e.largeTimeoutSeconds", 300));
    }

    /** A java binary of a JDK newer than the build's to run httptap on, or null to look in /usr/lib/jvm. */
    static String newerJava() {
        return System.getProperty("httptap.e2e.newerJava");
    }

    /** The unprivileged account the privilege test runs httptap as. */
    static String unprivilegedUser() {
        return System.getProperty("httptap.e2e.user", "tester");
    }
}
