package dev.httptap.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A directory with everything under it. */
public final class DirectoryTree {
    private DirectoryTree() {}

    /**
     * Deletes {@code dir} and everything in it, deepest first; an entry that cannot be deleted is left (its
     * directory then stays too). Throws only when the tree cannot be walked.
     */
    public static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
