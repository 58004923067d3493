package dev.httptap.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

/**
 * Finds the native helper executable. In the build tree it is {@code native/httptap-helper} beside the
 * classes. From the jar it is extracted once into a private cache directory, named by a tag of its content
 * so that different httptap versions never share (or half-overwrite) one file.
 */
public final class HelperBinary {
    static final String RESOURCE = "/native/httptap-helper";
    private static final String FILE_NAME = "httptap-helper";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** The cache this process holds in use until it exits (kept reachable, or its lock could be dropped). */
    private static volatile HelperCache cacheInUse;
    /** The search {@link #preload()} started, if any. */
    private static final AtomicReference<CompletableFuture<Path>> preloaded = new AtomicReference<>();

    private HelperBinary() {}

    /**
     * Starts {@link #locate()}'s work on a background thread, if not started yet, and returns at once:
     * reading, hashing and comparing the helper takes tens of milliseconds httptap can spend parsing.
     */
    static void preload() {
        CompletableFuture<Path> search = new CompletableFuture<>();
        if (preloaded.compareAndSet(null, search)) {
            Thread finder = new Thread(() -> {
                try {
                    search.complete(find());
                } catch (IOException | RuntimeException e) {
                    search.completeExceptionally(e);
                }
            }, "httptap-helper-preload");
            finder.setDaemon(true);
            finder.start();
        }
    }

    /** The helper's path, extracting it from the jar if needed (or waiting for {@link #preload()}'s search). */
    public static Path locate() throws IOException {
        CompletableFuture<Path> search = preloaded.get();
        if (search == null) {
            return find();
        }
        try {
            return search.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException cause ? cause : new IOException(e.getCause().toString(), e.getCause());
        }
    }

    private static Path find() throws IOException {
        // The launcher's lead process is the helper, and says where it is (LeadEnvironment).
        Optional<Path> fromLead = LeadEnvironment.from(System.getenv()).helper().filter(Files::isExecutable);
        if (fromLead.isPresent()) {
            return fromLead.get();
        }
        Optional<Path> inBuildTree = buildTreeHelper(codeLocation());
        if (inBuildTree.isPresent()) {
            return inBuildTree.get();
        }
        byte[] helper;
        try (InputStream in = HelperBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the native helper " + RESOURCE + " is missing from httptap's jar");
            }
            helper = in.readAllBytes();
        }
        return extract(helper, cacheDirectory());
    }

    /** The helper beside the classes, when {@code codeLocation} is a classes directory that has one. */
    static Optional<Path> buildTreeHelper(Path codeLocation) {
        Path candidate = codeLocation.resolve("native").resolve(FILE_NAME);
        return Files.isDirectory(codeLocation) && Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /**
     * httptap's cache: the kept CA, the early-start plan (where the ./httptap launcher looks for it) and the
     * extracted helper. The one place that decides it.
     */
    public static Path cacheDirectory() {
        return cacheDirectory(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * {@code $XDG_CACHE_HOME/httptap} if that is absolute, else {@code $HOME/.cache/httptap}, as the launcher
     * decides it; {@code accountHome} (the JVM's user.home) only where HOME is not an absolute path.
     */
    static Path cacheDirectory(Map<String, String> environment, Path accountHome) {
        String xdg = environment.get("XDG_CACHE_HOME");
        String home = environment.get("HOME");
        Path homeDir = home != null && home.startsWith("/") ? Path.of(home) : accountHome;
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : homeDir.resolve(".cache");
        return base.resolve("httptap");
    }

    /**
     * The helper's bytes as an executable file in {@code cacheDir} (0700), reused when already there; falls
     * back to a new private temporary directory when the cache cannot be used. Other builds' helpers unused
     * for a day are deleted on the way ({@link HelperCache}).
     */
    static Path extract(byte[] helper, Path cacheDir) throws IOException {
        String name = HelperCache.HELPER_PREFIX + contentTag(helper);
        try {
            Path dir = privateDirectory(cacheDir);
            HelperCache cache = HelperCache.open(dir);
            cache.pruneStale(name, Instant.now());
            cache.holdInUse();
            cacheInUse = cache;
            return extractInto(helper, dir, name);
        } catch (IOException e) {
            Path temporary = Files.createTempDirectory("httptap-"); // 0700 on POSIX
            temporary.toFile().deleteOnExit();
            Path file = extractInto(helper, temporary, name);
            file.toFile().deleteOnExit();
            return file;
        }
    }

    private static Path extractInto(byte[] helper, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (Files.isExecutable(file) && Arrays.equals(Files.readAllBytes(file), helper)) {
            HelperCache.touch(file);
            return file;
        }
        // Written beside and renamed, so that a concurrent httptap never runs a half-written helper.
        Path partial = Files.createTempFile(dir, name, ".partial");
        try {
            Files.write(partial, helper);
            Files.setPosixFilePermissions(partial, OWNER_ONLY);
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return file;
    }

    /** Creates dir (0700) if needed; refuses one that another user could write to. */
    private static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
                // another httptap created it first: made private below like any existing directory
            }
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY); // fails unless the directory is ours
        return dir;
    }

    /**
     * 16 hex digits that tell helper versions apart: the content's CRC-32 and length. The file's bytes are
     * compared in full before it is reused, so the name needs no cryptographic hash (a SHA-256 of the
     * helper cost ~15 ms of every start, and CRC-32 is a native call).
     */
    private static String contentTag(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return HexFormat.of().toHexDigits(crc.getValue() << 32 | bytes.length);
    }

    private static Path codeLocation() throws IOException {
        try {
            return Path.of(HelperBinary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IOException("cannot tell where httptap's classes are", e);
        }
    }
}
