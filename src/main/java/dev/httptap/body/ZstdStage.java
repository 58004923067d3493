package dev.httptap.body;

import io.airlift.compress.zstd.ZstdIncrementalFrameDecompressor;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
    /** Input received and not yet consumed, from index 0. */
    private byte[] waiting = new byte[0];
    private int waitingLength;
    private boolean sawFrame;

    @Override
    public void feed(ByteBuffer encoded, Downstream next) throws DataFormatException {
        keep(encoded);
        try {
            // Decoded output waiting to be flushed is asked for with no input needed.
            while (decompressor.getRequestedOutputSize() > 0
                    || (waitingLength > 0 && waitingLength >= decompressor.getInputRequired())) {
                decompressor.partialDecompress(waiting, ARRAY_BASE, ARRAY_BASE + waitingLength, output, 0, output.length);
                int consumed = decompressor.getInputConsumed();
                int produced = decompressor.getOutputBufferUsed();
                sawFrame |= consumed > 0;
                System.arraycopy(waiting, consumed, waiting, 0, waitingLength - consumed);
                waitingLength -= consumed;
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

    private void keep(ByteBuffer encoded) {
        int length = encoded.remaining();
        if (waitingLength + length > waiting.length) {
            waiting = Arrays.copyOf(waiting, Math.max(waitingLength + length, waiting.length * 2));
        }
        encoded.get(waiting, waitingLength, length);
        waitingLength += length;
    }

    @Override
    public boolean isFinished() {
        return sawFrame && decompressor.isAtStoppingPoint() && waitingLength == 0;
    }

    @Override
    public void end() {
        waiting = new byte[0];
        waitingLength = 0;
    }
}
