package dev.httptap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a test pause a command that runs under httptap at named points, to measure httptap there: the
 * command's shell waits (at most 60 s) for a file the test creates. The files live in a directory the test
 * deletes when done.
 */
final class Checkpoints implements AutoCloseable {
    private final Path directory;

    private Checkpoints(Path directory) {
        this.directory = directory;
    }

    static Checkpoints create() {
        try {
            return new Checkpoints(Files.createTempDirectory("httptap-checkpoints-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shell command that returns once {@link #pass} was called with {@code name}, or after 60 s. */
    String await(String name) {
        return "i=0; while [ ! -e " + directory.resolve(name) + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done";
    }

    void pass(String name) {
        try {
            Files.createFile(directory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
