package dev.httptap.body;

import io.airlift.compress.zstd.ZstdIncrementalFrameDecompressor;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * Undoes zstd (RFC 8878) as bytes arrive, with aircompressor's incremental frame decoder: it asks for the
 * input it needs next (at most a block, 128 KiB, and a header), so only that much waits here. Frames may
 * follow one another. Its window is at most 8 MiB, and only as large as the frame's content needs.
 */
final class ZstdStage implements DecodingStage {
    private static final int OUTPUT_BYTES = 32 * 1024;
    private static final long ARRAY_BASE = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private final ZstdIncrementalFrameDecompressor decompressor = new ZstdIncrementalFrameDecompressor();
    private final byte[] output = new byte[OUTPUT_BYTES];
    private final Backlog waiting = new Backlog();
    private boolean sawFrame;

    @Override
    public void feed(ByteBuffer encoded, Downstream next) throws DataFormatException {
        waiting.add(encoded);
        try {
            // Decoded output waiting to be flushed is asked for with no input needed.
            while (decompressor.getRequestedOutputSize() > 0
                    || (waiting.length() > 0 && waiting.length() >= decompressor.getInputRequired())) {
                long from = ARRAY_BASE + waiting.start();
                decompressor.partialDecompress(waiting.array(), from, from + waiting.length(), output, 0, output.length);
                int consumed = decompressor.getInputConsumed();
                int produced = decompressor.getOutputBufferUsed();
                sawFrame |= consumed > 0;
                waiting.take(consumed);
                if (produced > 0 && !next.accept(ByteBuffer.wrap(output, 0, produced).asReadOnlyBuffer())) {
                    return;
                }
                if (consumed == 0 && produced == 0) {
                    return; // waits for the input it asked for
                }
            }
        } catch (RuntimeException e) {
            // aircompressor reports corrupt input as MalformedInputException and its own checks as runtime errors.
            DataFormatException failure = new DataFormatException(e.getMessage() == null ? e.toString() : e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    @Override
    public boolean isFinished() {
        return sawFrame && decompressor.isAtStoppingPoint() && waiting.length() == 0;
    }

    @Override
    public void end() {
        waiting.clear();
    }
}
