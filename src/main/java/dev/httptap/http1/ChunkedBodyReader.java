package dev.httptap.http1;

import java.nio.ByteBuffer;

/**
 * Follows a chunked body (RFC 9112 section 7.1): chunk-size lines with optional extensions, chunk data
 * handed on as slices without copying, then the last chunk and the trailer section. Only the small
 * framing lines are looked at byte by byte, and their lengths are bounded.
 */
final class ChunkedBodyReader {
    private static final int MAX_SIZE_LINE_BYTES = 4096;
    private static final int MAX_TRAILER_BYTES = 64 * 1024;

    private enum State {
        SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_LINE_START, TRAILER_LINE, TRAILER_END_LF, DONE
    }

    private final BodySink sink;
    private State state = State.SIZE;
    private long chunkSize;
    private boolean sawSizeDigit;
    private int framingLineBytes;
    private int trailerBytes;

    ChunkedBodyReader(BodySink sink) {
        this.sink = sink;
    }

    /** Prepares for the next chunked body. */
    void reset() {
        state = State.SIZE;
        startSizeLine();
        trailerBytes = 0;
    }

    /** Consumes body bytes from {@code data}; true once the whole body, trailers included, has been read. */
    boolean read(ByteBuffer data) throws Http1Exception {
        while (data.hasRemaining() && state != State.DONE) {
            if (state == State.DATA) {
                int count = (int) Math.min(chunkSize, data.remaining());
                BodySink.pass(data, count, sink);
                chunkSize -= count;
                if (chunkSize == 0) {
                    state = State.DATA_CR;
                }
            } else {
                framingByte(data.get());
            }
        }
        return state == State.DONE;
    }

    private void framingByte(byte b) throws Http1Exception {
        switch (state) {
            case SIZE -> sizeByte(b);
            case EXTENSION -> {
                countSizeLineByte();
                if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (b == '\n') {
                    endSizeLine();
                }
            }
            case SIZE_LF -> {
                expect(b, '\n', "chunk size line");
                endSizeLine();
            }
            case DATA_CR -> {
                if (b == '\r') {
                    state = State.DATA_LF;
                } else {
                    expect(b, '\n', "chunk data");
                    startSizeLine();
                }
            }
            case DATA_LF -> {
                expect(b, '\n', "chunk data");
                startSizeLine();
            }
            case TRAILER_LINE_START -> {
                if (b == '\r') {
                    state = State.TRAILER_END_LF;
                } else if (b == '\n') {
                    state = State.DONE;
                } else {
                    trailerByte();
                }
            }
            case TRAILER_LINE -> {
                trailerByte();
                if (b == '\n') {
                    state = State.TRAILER_LINE_START;
                }
            }
            case TRAILER_END_LF -> {
                expect(b, '\n', "trailer section");
                state = State.DONE;
            }
            default -> throw new IllegalStateException("no framing byte expected in " + state);
        }
    }

    private void sizeByte(byte b) throws Http1Exception {
        countSizeLineByte();
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
            if (chunkSize > (Long.MAX_VALUE >> 4)) {
                throw new Http1Exception("chunk size too large");
            }
            chunkSize = (chunkSize << 4) | digit;
            sawSizeDigit = true;
        } else if (b == ';' || b == ' ' || b == '\t') {
            state = State.EXTENSION;
        } else if (b == '\r') {
            state = State.SIZE_LF;
        } else if (b == '\n') {
            endSizeLine();
        } else {
            throw new Http1Exception("invalid byte 0x" + Integer.toHexString(b & 0xff) + " in a chunk size");
        }
    }

    private void startSizeLine() {
        state = State.SIZE;
        chunkSize = 0;
        sawSizeDigit = false;
        framingLineBytes = 0;
    }

    private void countSizeLineByte() throws Http1Exception {
        if (++framingLineBytes > MAX_SIZE_LINE_BYTES) {
            throw new Http1Exception("chunk size line longer than " + MAX_SIZE_LINE_BYTES + " bytes");
        }
    }

    private void endSizeLine() throws Http1Exception {
        if (!sawSizeDigit) {
            throw new Http1Exception("chunk size line without a size");
        }
        state = chunkSize == 0 ? State.TRAILER_LINE_START : State.DATA;
    }

    private void trailerByte() throws Http1Exception {
        state = State.TRAILER_LINE;
        if (++trailerBytes > MAX_TRAILER_BYTES) {
            throw new Http1Exception("trailer section larger than " + MAX_TRAILER_BYTES / 1024 + " KiB");
        }
    }

    private static void expect(byte actual, char expected, String where) throws Http1Exception {
        if (actual != expected) {
            throw new Http1Exception("missing line end after " + where);
        }
    }
}
