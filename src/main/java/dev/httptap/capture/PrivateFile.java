package dev.httptap.capture;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Opens a file the user named for a capture or a key log, which hold TLS secrets and bodies: a new file is
 * created 0600 in one step (no moment where others may open it); an existing regular file is truncated and
 * narrowed to 0600 before anything is written; anything else (a FIFO for {@code wireshark -k -i FIFO}) is
 * opened for writing as it is.
 */
final class PrivateFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFile() {}

    static OutputStream open(Path path) throws IOException {
        try {
            return Channels.newOutputStream(Files.newByteChannel(path,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY)));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isRegularFile(path)) {
                if (Files.isDirectory(path)) {
                    throw new FileNotFoundException("is a directory");
                }
                return Files.newOutputStream(path, StandardOpenOption.WRITE);
            }
            // Narrowed first: the secrets must never sit in a file others may read.
            Files.setPosixFilePermissions(path, OWNER_ONLY);
            OutputStream out = Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return out;
        }
    }
}
