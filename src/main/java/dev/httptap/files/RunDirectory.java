package dev.httptap.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run's temporary directory ({@code httptap-*} in the temporary root), holding a lock file the run keeps
 * locked while it lives. The kernel drops the lock when the run's process dies, however it dies, so a later
 * run can tell a directory left by a run that was killed ({@code kill -9}) from one still in use, whatever
 * pid the dead run had, and remove it ({@link #removeAbandoned}).
 */
public final class RunDirectory implements AutoCloseable {
    static final String PREFIX = "httptap-";
    static final String LOCK_FILE = ".run.lock";
    /** A directory this young may be between its creation and its lock: never taken for abandoned. */
    static final Duration CREATION_WINDOW = Duration.ofMinutes(1);
    private static final int MAX_NAME_ATTEMPTS = 16;

    private final Path path;
    private final FileChannel lockChannel;

    private RunDirectory(Path path, FileChannel lockChannel) {
        this.path = path;
        this.lockChannel = lockChannel;
    }

    /** Creates a new run directory in {@code root} with {@code permissions}, and locks it for this run. */
    public static RunDirectory create(Path root, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = newDirectory(root, PosixFilePermissions.asFileAttribute(permissions));
        Files.setPosixFilePermissions(dir, permissions); // the umask may have taken some away
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        channel.lock();
        return new RunDirectory(dir, channel);
    }

    /**
     * A new directory named {@code httptap-} and a random number. Not Files.createTempDirectory, whose
     * SecureRandom costs ~10 ms of CPU and 25-35 ms on the path to the child's first packet in a cold JVM
     * (seeding it, loading the security providers); the name needs no secrecy, since mkdir fails on a name
     * that exists, link or not, and another is tried.
     */
    private static Path newDirectory(Path root, FileAttribute<Set<PosixFilePermission>> permissions) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path dir = root.resolve(PREFIX + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(dir, permissions);
            } catch (FileAlreadyExistsException e) {
                if (attempt == MAX_NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public Path path() {
        return path;
    }

    /** Unlocks and deletes the directory with everything in it. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
        DirectoryTree.delete(path);
    }

    /**
     * Deletes the run directories in {@code root} that belong to {@code owner} and whose run is gone: the lock
     * file is there and nobody holds it. Directories without one (older versions of httptap), other users'
     * and young ones are left alone. Returns how many were removed.
     */
    public static int removeAbandoned(Path root, UserPrincipal owner, Instant now) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path dir : entries) {
                if (isAbandoned(dir, owner, now)) {
                    DirectoryTree.delete(dir);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isAbandoned(Path dir, UserPrincipal owner, Instant now) {
        Path lockFile = dir.resolve(LOCK_FILE);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || !owner.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))
                    || !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)
                    || Files.getLastModifiedTime(dir).toInstant().isAfter(now.minus(CREATION_WINDOW))) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock()) {
                return lock != null;
            }
        } catch (OverlappingFileLockException ownRun) {
            return false; // this JVM holds it: a directory of this very run
        } catch (IOException e) {
            return false; // unreadable or gone meanwhile: not ours to judge
        }
    }
}
