package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperCacheTest {
    private static final Instant NOW = Instant.parse("2030-01-10T12:00:00Z");
    private static final String CURRENT = "httptap-helper-00000000000000aa";

    @TempDir
    Path dir;

    @Test
    void deletesOnlyOtherBuildsUnusedForADay() throws IOException {
        file(CURRENT, Duration.ofDays(30));
        file("httptap-helper-00000000000000bb", Duration.ofDays(2));
        file("httptap-helper-00000000000000cc", Duration.ofHours(23));
        file("httptap-helper-00000000000000dd123.partial", Duration.ofDays(3));
        file("unrelated", Duration.ofDays(100));

        List<Path> deleted = HelperCache.open(dir).pruneStale(CURRENT, NOW);

        assertEquals(Set.of("httptap-helper-00000000000000bb", "httptap-helper-00000000000000dd123.partial"),
                names(deleted.stream()));
        assertEquals(Set.of(CURRENT, "httptap-helper-00000000000000cc", "unrelated", HelperCache.LOCK_FILE), names());
    }

    @Test
    void deletesNothingWhileAnotherHttptapHoldsTheCache() throws IOException {
        file("httptap-helper-00000000000000bb", Duration.ofDays(2));
        HelperCache.open(dir); // creates the lock file
        try (FileChannel other = FileChannel.open(dir.resolve(HelperCache.LOCK_FILE), StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock inUse = other.lock(0, Long.MAX_VALUE, true)) {
            assertEquals(List.of(), HelperCache.open(dir).pruneStale(CURRENT, NOW));
        }
        assertTrue(names().contains("httptap-helper-00000000000000bb"));
    }

    @Test
    void touchingAHelperKeepsItFromBeingPruned() throws IOException {
        Path reused = file("httptap-helper-00000000000000bb", Duration.ofDays(2));

        HelperCache.touch(reused);

        assertEquals(List.of(), HelperCache.open(dir).pruneStale(CURRENT, Instant.now()));
    }

    private Path file(String name, Duration age) throws IOException {
        Path file = Files.write(dir.resolve(name), new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return names(files);
        }
    }

    private static Set<String> names(Stream<Path> files) {
        return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    }
}
