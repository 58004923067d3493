package dev.httptap.sink;

import java.io.IOException;
import java.io.OutputStream;

/** An output that takes no byte, as a file on a full disk: every write and flush fails. */
public final class FullDisk extends OutputStream {
    public static final String MESSAGE = "No space left on device";

    @Override
    public void write(int b) throws IOException {
        throw new IOException(MESSAGE);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException(MESSAGE);
    }

    @Override
    public void flush() throws IOException {
        throw new IOException(MESSAGE);
    }
}
