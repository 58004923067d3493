package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * httptap on a JDK from 24 on, which warns on stderr about JNI (jffi) and sun.misc.Unsafe unless the jar
 * allows them: the child's stderr must stay the child's. The JDK is the system property
 * httptap.e2e.newerJava (a java binary), else the newest one of 24 or later under /usr/lib/jvm; there must
 * be one (scripts/test installs one when it can), so that this test never passes without running.
 */
class NewerJdkIT {
    /** The first release that warns about native access and sun.misc.Unsafe by default. */
    private static final int FIRST_WARNING_RELEASE = 24;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final String USED_MARKER = "java-was-run";
    private static final TestPki PKI = TestPki.create();

    @TempDir
    Path dir;

    @Test
    void httpAndHttpsPrintNoWarnings() throws IOException {
        Path java = recordingJava(newerJava());
        try (LocalHttpServer plain = LocalHttpServer.start();
                LocalHttpServer tls = LocalHttpServer.startTls(PKI.serverContext())) {
            String httpUrl = Route.TAPPED.baseUrl(plain.port()) + "/hello";
            String httpsUrl = "https://" + Httptap.HOST + ":" + tls.port() + "/hello";
            ProcessRun run = Httptap.command("sh", "-c", "curl -sS " + httpUrl + " && curl -sS " + httpsUrl)
                    .flags("--ca-file", PKI.writeCaPem(dir).toString())
                    .wrappedIn("env", "HTTPTAP_JAVA=" + java)
                    .run();

            String hello = LocalHttpServer.HELLO_BODY;
            assertTrue(Files.exists(dir.resolve(USED_MARKER)), "the launcher ran HTTPTAP_JAVA\n" + run.describe());
            assertClientRun(Route.TAPPED, run, hello + hello,
                    Exchange.withBody("GET", httpUrl, 200, hello), Exchange.withBody("GET", httpsUrl, 200, hello));
        }
    }

    /** A script in the temporary directory that leaves {@link #USED_MARKER} there and runs {@code java}. */
    private Path recordingJava(String java) throws IOException {
        Path script = dir.resolve("java");
        Files.writeString(script, "#!/bin/sh\n: > '" + dir.resolve(USED_MARKER) + "'\nexec '" + java + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static String newerJava() throws IOException {
        String configured = E2eSettings.newerJava();
        String found = configured != null ? configured : newestInstalledJava().orElse(null);
        assertNotNull(found, "no JDK " + FIRST_WARNING_RELEASE + " or newer under /usr/lib/jvm: run scripts/test"
                + " (it installs one), or name a java binary with -Dhttptap.e2e.newerJava=PATH");
        return found;
    }

    /** The java binary of the newest JDK under /usr/lib/jvm of at least {@link #FIRST_WARNING_RELEASE}. */
    private static Optional<String> newestInstalledJava() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jdks = Files.newDirectoryStream(jvms)) {
            return StreamSupport.stream(jdks.spliterator(), false)
                    .filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                    .filter(jdk -> release(jdk) >= FIRST_WARNING_RELEASE)
                    .max(Comparator.comparingInt(NewerJdkIT::release))
                    .map(jdk -> jdk.resolve("bin/java").toString());
        }
    }

    /** The JDK's feature release from its {@code release} file (JAVA_VERSION="25.0.1"), or 0. */
    private static int release(Path jdk) {
        try {
            Matcher version = RELEASE_VERSION.matcher(Files.readString(jdk.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
