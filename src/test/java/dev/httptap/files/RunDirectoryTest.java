package dev.httptap.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    private static final Instant NOW = Instant.parse("2026-12-04T01:00:00Z");

    @TempDir
    Path root;

    @Test
    void aRunDirectoryIsPrivateLockedAndGoneWhenClosed() throws IOException {
        RunDirectory run = RunDirectory.create(root, PosixFilePermissions.fromString("rwx------"));
        Path dir = run.path();
        assertTrue(dir.getFileName().toString().startsWith(RunDirectory.PREFIX));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(RunDirectory.LOCK_FILE))));
        Files.writeString(dir.resolve("spool"), "x");
        run.close();
        assertFalse(Files.exists(dir));
    }

    @Test
    void eachRunGetsADirectoryOfItsOwn() throws IOException {
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            assertTrue(made.add(RunDirectory.create(root, PosixFilePermissions.fromString("rwx------")).path()));
        }
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(50, entries.count());
        }
    }

    @Test
    void onlyOldUnlockedDirectoriesWithALockFileAreRemoved() throws IOException {
        Path killed = abandoned("httptap-killed", true);
        Path young = abandoned("httptap-young", true);
        Files.setLastModifiedTime(young, FileTime.from(NOW.minusSeconds(10)));
        Path olderVersion = abandoned("httptap-older-version", false);
        Path otherTool = abandoned("other-killed", true);
        RunDirectory live = RunDirectory.create(root, PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(live.path(), FileTime.from(NOW.minus(Duration.ofDays(2))));

        assertEquals(1, RunDirectory.removeAbandoned(root, owner(), NOW));

        assertFalse(Files.exists(killed), "a killed run's directory");
        assertTrue(Files.exists(young), "may be between its creation and its lock");
        assertTrue(Files.exists(olderVersion), "no lock file: nothing says its run is gone");
        assertTrue(Files.exists(otherTool));
        assertTrue(Files.exists(live.path()), "its lock is held");
        live.close();
    }

    @Test
    void anotherUsersDirectoryIsLeftAlone() throws IOException {
        Path killed = abandoned("httptap-killed", true);
        UserPrincipal someoneElse = () -> "someone-else";
        assertEquals(0, RunDirectory.removeAbandoned(root, someoneElse, NOW));
        assertTrue(Files.exists(killed));
    }

    /** A directory as a run killed two days before NOW leaves it, with its lock file or without. */
    private Path abandoned(String name, boolean withLockFile) throws IOException {
        Path dir = Files.createDirectory(root.resolve(name));
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.1.1.1\n");
        if (withLockFile) {
            Files.createFile(dir.resolve(RunDirectory.LOCK_FILE));
        }
        Files.setLastModifiedTime(dir, FileTime.from(NOW.minus(Duration.ofDays(2))));
        return dir;
    }

    private UserPrincipal owner() throws IOException {
        return Files.getOwner(root);
    }
}
