package dev.httptap.sink.har;

import dev.httptap.log.Log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps the first {@code limit} bytes of one body in a temporary file (never on the heap) and counts them
 * all. The file is made on the first byte, so empty bodies cost nothing. Not thread-safe.
 */
final class BodyRecorder implements AutoCloseable {
    private final Path directory;
    private final long limit;
    private Path file;
    private FileChannel channel;
    private long stored;
    private long total;
    private String failure;

    BodyRecorder(Path directory, long limit) {
        this.directory = directory;
        this.limit = limit;
    }

    void append(ByteBuffer data) {
        total += data.remaining();
        int keep = (int) Math.min(data.remaining(), limit - stored);
        if (keep <= 0 || failure != null) {
            return;
        }
        ByteBuffer part = data.slice(data.position(), keep);
        try {
            if (channel == null) {
                file = Files.createTempFile(directory, "body-", ".bin");
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            }
            while (part.hasRemaining()) {
                channel.write(part);
            }
            stored += keep;
        } catch (IOException e) {
            failure = "the body could not be kept: " + e.getMessage();
            Log.verbose("HAR: %s", failure);
        }
    }

    /** Every byte of the body seen, kept or not. */
    long totalBytes() {
        return total;
    }

    /** The bytes kept: the first {@link #totalBytes()}, up to the limit. */
    long storedBytes() {
        return stored;
    }

    boolean isTruncated() {
        return stored < total;
    }

    /** Why bytes are missing other than the limit (a disk error), or null. */
    String failure() {
        return failure;
    }

    /** The kept bytes from the start. */
    InputStream open() throws IOException {
        if (file == null) {
            return InputStream.nullInputStream();
        }
        return Files.newInputStream(file);
    }

    /** Removes the temporary file. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            Log.verbose("HAR: could not remove %s: %s", file, e.getMessage());
        }
    }
}
