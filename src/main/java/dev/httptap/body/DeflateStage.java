package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * Undoes "deflate" as bytes arrive. It is meant to be zlib-wrapped (RFC 1950), but some servers send raw
 * deflate (RFC 1951); the first two bytes tell them apart: a zlib header has compression method 8 in its
 * low nibble and, read as a 16-bit number, is a multiple of 31. Bytes after the end of the stream are ignored.
 */
final class DeflateStage implements DecodingStage {
    private final ByteBuffer firstTwo = ByteBuffer.allocate(2);
    private Inflation inflation;

    @Override
    public void feed(ByteBuffer encoded, Downstream next) throws DataFormatException {
        if (inflation == null) {
            while (firstTwo.hasRemaining() && encoded.hasRemaining()) {
                firstTwo.put(encoded.get());
            }
            if (firstTwo.hasRemaining()) {
                return;
            }
            inflation = new Inflation(!isZlibHeader(firstTwo.get(0) & 0xff, firstTwo.get(1) & 0xff));
            if (!inflation.inflate(firstTwo.flip(), next)) {
                return;
            }
        }
        if (!inflation.finished() && !inflation.inflate(encoded, next)) {
            return;
        }
        if (inflation.finished()) {
            encoded.position(encoded.limit());
        }
    }

    /** True when a stream starting with these two bytes is zlib-wrapped rather than raw deflate. */
    static boolean isZlibHeader(int first, int second) {
        return (first & 0x0f) == 8 && ((first << 8) | second) % 31 == 0;
    }

    @Override
    public boolean isFinished() {
        return inflation != null && inflation.finished();
    }

    @Override
    public void end() {
        if (inflation != null) {
            inflation.end();
        }
    }
}
