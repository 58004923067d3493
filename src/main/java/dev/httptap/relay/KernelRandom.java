package dev.httptap.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntSupplier;

/**
 * Unpredictable numbers for the stack's initial sequence numbers (RFC 6528: a process in the sandbox must not
 * guess another's), straight from the kernel's pool, {@value #BATCH_BYTES} bytes per read. Not
 * {@code SecureRandom}: making the first one in a run (loading the security providers, seeding) took ~8 ms on
 * the path to the child's first packet.
 */
final class KernelRandom implements IntSupplier {
    private static final Path SOURCE = Path.of("/dev/urandom");
    private static final int BATCH_BYTES = 4096;

    private final FileChannel source;
    private final ByteBuffer batch = ByteBuffer.allocate(BATCH_BYTES).limit(0);

    private KernelRandom(FileChannel source) {
        this.source = source;
    }

    /** Throws {@link UncheckedIOException} when /dev/urandom cannot be opened. */
    static KernelRandom open() {
        try {
            return new KernelRandom(FileChannel.open(SOURCE, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + SOURCE, e);
        }
    }

    @Override
    public int getAsInt() {
        if (batch.remaining() < Integer.BYTES) {
            refill();
        }
        return batch.getInt();
    }

    private void refill() {
        batch.clear();
        try {
            while (batch.hasRemaining()) {
                if (source.read(batch) < 0) {
                    throw new IOException("end of file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SOURCE, e);
        }
        batch.flip();
    }
}
