package dev.httptap.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTreeTest {
    @TempDir
    Path temp;

    @Test
    void aTreeGoesWithEverythingInIt() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("run/a/b"));
        Files.writeString(dir.resolve("deep"), "x");
        Files.writeString(temp.resolve("run/top"), "y");
        Files.createDirectory(temp.resolve("run/empty"));

        DirectoryTree.delete(temp.resolve("run"));

        assertFalse(Files.exists(temp.resolve("run")));
    }

    @Test
    void aLinkGoesButNotWhatItPointsTo() throws IOException {
        Path outside = Files.createDirectory(temp.resolve("outside"));
        Files.writeString(outside.resolve("kept"), "z");
        Path run = Files.createDirectory(temp.resolve("run"));
        Files.createSymbolicLink(run.resolve("to-dir"), outside);
        Files.createSymbolicLink(run.resolve("to-file"), outside.resolve("kept"));

        DirectoryTree.delete(run);

        assertFalse(Files.exists(run));
        assertTrue(Files.isRegularFile(outside.resolve("kept")), "the link's target is untouched");
    }

    @Test
    void aMissingDirectoryCannotBeListed() {
        assertThrows(IOException.class, () -> DirectoryTree.delete(temp.resolve("missing")));
    }
}
