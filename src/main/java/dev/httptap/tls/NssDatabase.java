package dev.httptap.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An NSS database (the {@code sql:} kind Chromium reads from {@code ~/.pki/nssdb}) holding a copy of the
 * user's entries and the run's CA, trusted to issue TLS server certificates. Made with NSS's own
 * {@code certutil}: the database's format is NSS's business.
 */
final class NssDatabase {
    /** The files of an {@code sql:} database. */
    /** The file that holds a database's certificates: without it there is no database. */
    static final String CERTIFICATES = "cert9.db";
    static final List<String> FILES = List.of(CERTIFICATES, "key4.db", "pkcs11.txt");
    static final String CA_NICKNAME = "httptap CA";
    /** certutil never asks anything here (no password is needed to add a certificate); this bounds a surprise. */
    private static final long CERTUTIL_SECONDS = 20;

    private NssDatabase() {}

    /**
     * Fills the empty {@code dir} with the files of {@code userDatabase} if it has them, else a new empty
     * database, and {@code caPem} trusted for TLS.
     */
    static void write(Path certutil, Path dir, Optional<Path> userDatabase, Path caPem) throws IOException {
        String database = "sql:" + dir;
        if (!copyUserDatabase(dir, userDatabase)) {
            run(List.of(certutil.toString(), "-N", "-d", database, "--empty-password"), dir.getParent());
        }
        run(List.of(certutil.toString(), "-A", "-d", database, "-t", "C,,", "-n", CA_NICKNAME, "-i", caPem.toString()),
                dir.getParent());
    }

    /**
     * Fills the empty {@code dir} with the files {@code userDatabase} has; returns whether that was a
     * database (its {@link #CERTIFICATES}).
     */
    static boolean copyUserDatabase(Path dir, Optional<Path> userDatabase) throws IOException {
        boolean copied = false;
        if (userDatabase.isPresent()) {
            for (String name : FILES) {
                Path file = userDatabase.get().resolve(name);
                if (Files.isRegularFile(file)) {
                    Files.copy(file, dir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                    copied |= name.equals(CERTIFICATES);
                }
            }
        }
        return copied;
    }

    /**
     * Runs certutil, its output kept in a file so that the time limit holds even if it never ends. The file
     * is made in {@code logDir} (the CA's directory, removed with it), not in /tmp, where one was left for
     * good whenever httptap was killed while certutil ran.
     */
    private static void run(List<String> command, Path logDir) throws IOException {
        Path output = Files.createTempFile(logDir, ".certutil", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(CERTUTIL_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in " + CERTUTIL_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running certutil", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
