package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** The inflate loop shared by the gzip and deflate stages. */
final class Inflation {
    private static final int SCRATCH_BYTES = 8192;

    private final Inflater inflater;
    private final byte[] scratch = new byte[SCRATCH_BYTES];

    Inflation(boolean raw) {
        this.inflater = new Inflater(raw);
    }

    /**
     * Inflates from {@code encoded} until it is used up, the stream ends or {@code next} wants no more.
     * {@code encoded}'s position moves past what was consumed; bytes after the end of the stream stay.
     * Returns false when {@code next} wants no more.
     */
    boolean inflate(ByteBuffer encoded, DecodingStage.Downstream next) throws DataFormatException {
        inflater.setInput(encoded);
        while (!inflater.finished()) {
            int count = inflater.inflate(scratch);
            if (count == 0) {
                if (inflater.needsDictionary()) {
                    throw new DataFormatException("stream needs a preset dictionary");
                }
                break; // needs more input
            }
            if (!next.accept(ByteBuffer.wrap(scratch, 0, count).asReadOnlyBuffer())) {
                return false;
            }
        }
        return true;
    }

    boolean finished() {
        return inflater.finished();
    }

    void end() {
        inflater.end();
    }
}
