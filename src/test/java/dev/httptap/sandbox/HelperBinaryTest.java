package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperBinaryTest {
    private static final byte[] HELPER = "\u007fELF pretend helper".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    @Test
    void findsTheHelperBesideTheClassesInTheBuildTree() throws Exception {
        Path helper = Files.createDirectories(temp.resolve("classes/native")).resolve("httptap-helper");
        Files.write(helper, HELPER);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(Optional.of(helper), HelperBinary.buildTreeHelper(temp.resolve("classes")));
    }

    @Test
    void aJarIsNotABuildTree() throws Exception {
        Path jar = Files.write(temp.resolve("httptap.jar"), HELPER);

        assertEquals(Optional.empty(), HelperBinary.buildTreeHelper(jar));
    }

    @Test
    void cacheDirectoryFollowsXdgElseHome() {
        assertEquals(Path.of("/x/cache/httptap"), HelperBinary.cacheDirectory(Map.of("XDG_CACHE_HOME", "/x/cache"), Path.of("/home/u")));
        assertEquals(Path.of("/home/u/.cache/httptap"), HelperBinary.cacheDirectory(Map.of(), Path.of("/home/u")));
        // The XDG spec says relative values are to be ignored.
        assertEquals(Path.of("/home/u/.cache/httptap"), HelperBinary.cacheDirectory(Map.of("XDG_CACHE_HOME", "rel"), Path.of("/home/u")));
    }

    /** As the launcher: $HOME wins over the account's home directory, so both look in the same cache. */
    @Test
    void cacheDirectoryTakesHomeFromTheEnvironmentLikeTheLauncher() {
        assertEquals(Path.of("/env/home/.cache/httptap"),
                HelperBinary.cacheDirectory(Map.of("HOME", "/env/home"), Path.of("/home/u")));
        assertEquals(Path.of("/home/u/.cache/httptap"), HelperBinary.cacheDirectory(Map.of("HOME", "relative"), Path.of("/home/u")));
        assertEquals(Path.of("/x/httptap"),
                HelperBinary.cacheDirectory(Map.of("HOME", "/env/home", "XDG_CACHE_HOME", "/x"), Path.of("/home/u")));
    }

    @Test
    void extractsOnceIntoAPrivateDirectoryAsAnExecutableNamedByContent() throws Exception {
        Path cache = temp.resolve("cache/httptap");

        Path first = HelperBinary.extract(HELPER, cache);
        Path second = HelperBinary.extract(HELPER, cache);

        assertEquals(first, second);
        assertEquals(cache, first.getParent());
        assertTrue(first.getFileName().toString().matches("httptap-helper-[0-9a-f]{16}"));
        assertArrayEquals(HELPER, Files.readAllBytes(first));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        try (var files = Files.list(cache)) {
            assertEquals(List.of(first), files.filter(file -> !file.endsWith(HelperCache.LOCK_FILE)).toList()); // no .partial left
        }
    }

    @Test
    void aDifferentVersionGetsItsOwnFile() throws Exception {
        Path cache = temp.resolve("cache");

        Path v1 = HelperBinary.extract(HELPER, cache);
        Path v2 = HelperBinary.extract("another helper".getBytes(java.nio.charset.StandardCharsets.US_ASCII), cache);

        assertNotEquals(v1, v2);
        assertArrayEquals(HELPER, Files.readAllBytes(v1));
    }

    @Test
    void aCorruptedCopyIsReplaced() throws Exception {
        Path cache = temp.resolve("cache");
        Path helper = HelperBinary.extract(HELPER, cache);
        Files.write(helper, new byte[] {1, 2, 3});

        assertEquals(helper, HelperBinary.extract(HELPER, cache));
        assertArrayEquals(HELPER, Files.readAllBytes(helper));
    }

    @Test
    void fallsBackToAPrivateTemporaryDirectoryWhenTheCacheIsUnusable() throws Exception {
        Path notADirectory = Files.write(temp.resolve("file"), new byte[0]);

        Path helper = HelperBinary.extract(HELPER, notADirectory.resolve("httptap"));

        assertArrayEquals(HELPER, Files.readAllBytes(helper));
        assertTrue(Files.isExecutable(helper));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(helper.getParent())));
    }
}
