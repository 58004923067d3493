package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How certutil is run, with a stand-in that notes where its output went. */
class NssDatabaseTest {
    @TempDir
    Path temp;

    /** Its output file lives in the CA's directory: a run killed meanwhile leaves nothing in /tmp for good. */
    @Test
    void certutilsOutputGoesToAFileInTheCasDirectoryRemovedAfterwards() throws Exception {
        Path caDir = Files.createDirectory(temp.resolve("ca"));
        Path staging = Files.createDirectory(caDir.resolve(".staging1"));
        Path notes = temp.resolve("outputs");
        Path certutil = temp.resolve("certutil");
        Files.writeString(certutil, "#!/bin/sh\noutput=$(readlink /proc/$$/fd/1)\necho \"$output\" >> " + notes + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(certutil, PosixFilePermissions.fromString("rwx------"));

        NssDatabase.write(certutil, staging, Optional.empty(), temp.resolve("ca.pem"));

        List<String> outputs = Files.readAllLines(notes, StandardCharsets.US_ASCII);
        assertEquals(2, outputs.size(), "certutil -N, then -A: " + outputs);
        for (String output : outputs) {
            assertEquals(caDir, Path.of(output).getParent(), output);
            assertTrue(Files.notExists(Path.of(output)), "removed afterwards: " + output);
        }
    }
}
