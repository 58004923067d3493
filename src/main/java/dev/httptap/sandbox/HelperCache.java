package dev.httptap.sandbox;

import dev.httptap.log.Log;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cache directory of extracted helpers, one file per build, kept from growing with every upgrade.
 *
 * <p>Every httptap holds a shared lock on the directory's lock file while it runs ({@link #holdInUse}), so
 * no helper is deleted between its check and its exec. Pruning ({@link #pruneStale}) needs the lock
 * exclusively, so it happens only when no other httptap runs, and removes only the files of other builds
 * unused for {@link #STALE_AFTER}: builds from before this class take no lock, and a reused helper has its
 * time refreshed ({@link #touch}). Deleting a file another process has open or is running is harmless.
 */
final class HelperCache {
    static final Duration STALE_AFTER = Duration.ofDays(1);
    /** Extracted helpers and the leftovers of interrupted extractions start with this. */
    static final String HELPER_PREFIX = "httptap-helper-";
    static final String LOCK_FILE = ".lock";

    private final Path dir;
    /** One channel for every lock on the file: closing another channel could drop this process's locks. */
    private final FileChannel lockFile;

    private HelperCache(Path dir, FileChannel lockFile) {
        this.dir = dir;
        this.lockFile = lockFile;
    }

    /** Opens the lock file of {@code dir}, an existing private directory. */
    static HelperCache open(Path dir) throws IOException {
        // Shared locks need a readable channel, exclusive ones a writable one.
        return new HelperCache(dir, FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Deletes the helpers unused since {@code now - STALE_AFTER}, other than {@code current}, unless another
     * httptap runs now. Returns the files deleted. Never fails: a file that cannot go stays for next time.
     */
    List<Path> pruneStale(String current, Instant now) {
        try (FileLock exclusive = lockFile.tryLock()) {
            if (exclusive == null) {
                return List.of(); // another httptap is running
            }
            return deleteStale(current, FileTime.from(now.minus(STALE_AFTER)));
        } catch (OverlappingFileLockException e) {
            return List.of(); // this process already holds the lock: it is running one
        } catch (IOException e) {
            Log.verbose("not pruning %s: %s", dir, e.getMessage());
            return List.of();
        }
    }

    /**
     * Takes the shared lock that keeps others from pruning; released when this process exits. Where locks
     * are not supported (some network file systems) it goes on without: the day of grace still holds.
     */
    void holdInUse() {
        try {
            lockFile.lock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
            // this process holds it already
        } catch (IOException e) {
            Log.verbose("cannot lock %s: %s", dir, e.getMessage());
        }
    }

    /** Marks {@code helper} as used now, so that no other build prunes it as stale. */
    static void touch(Path helper) throws IOException {
        Files.setLastModifiedTime(helper, FileTime.from(Instant.now()));
    }

    private List<Path> deleteStale(String current, FileTime unusedSince) throws IOException {
        List<Path> deleted = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, HELPER_PREFIX + "*")) {
            for (Path file : files) {
                if (!file.getFileName().toString().equals(current) && lastModified(file).compareTo(unusedSince) < 0
                        && deleteQuietly(file)) {
                    deleted.add(file);
                }
            }
        }
        return deleted;
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.from(Instant.MAX); // vanished meanwhile: nothing to delete
        }
    }

    private static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.verbose("cannot delete the stale helper %s: %s", file, e.getMessage());
            return false;
        }
    }
}
