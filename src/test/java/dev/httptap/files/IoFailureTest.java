package dev.httptap.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class IoFailureTest {
    @Test
    void saysWhyRatherThanRepeatingThePath() {
        assertEquals("no such file or directory", IoFailure.reason(new NoSuchFileException("/nowhere/x.har")));
        assertEquals("permission denied", IoFailure.reason(new AccessDeniedException("/root/x.har")));
        assertEquals("not a directory", IoFailure.reason(new FileSystemException("/etc/passwd/x", null, "Not a directory")));
        assertEquals("No space left on device", IoFailure.reason(new IOException("No space left on device")));
    }
}
