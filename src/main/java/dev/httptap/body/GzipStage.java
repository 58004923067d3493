package dev.httptap.body;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * Undoes gzip (RFC 1952) as bytes arrive: the member header is collected until whole, the deflate data is
 * inflated, the 8-byte trailer is skipped. Members may follow one another, as gzip allows; anything after a
 * member that is not another gzip header is ignored, as {@code gunzip} does. The CRC is not checked: the
 * output is only shown, and the client checks it anyway.
 */
final class GzipStage implements DecodingStage {
    private static final int FIXED_HEADER_BYTES = 10;
    private static final int TRAILER_BYTES = 8;
    /** Bound on a header with its optional name, comment and extra field. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;

    private enum State { HEADER, INFLATING, TRAILER, IGNORING_REST }

    private State state = State.HEADER;
    private byte[] header = new byte[FIXED_HEADER_BYTES];
    private int headerLength;
    private int trailerLeft;
    private boolean memberEnded;
    private Inflation inflation;

    @Override
    public void feed(ByteBuffer encoded, Downstream next) throws DataFormatException {
        while (encoded.hasRemaining()) {
            switch (state) {
                case HEADER -> readHeader(encoded);
                case INFLATING -> {
                    if (!inflation.inflate(encoded, next)) {
                        return;
                    }
                    if (inflation.finished()) {
                        inflation.end();
                        inflation = null;
                        trailerLeft = TRAILER_BYTES;
                        state = State.TRAILER;
                    } else if (encoded.hasRemaining()) {
                        return; // an unfinished inflater takes all input; never spin if it did not
                    }
                }
                case TRAILER -> {
                    int skipped = Math.min(trailerLeft, encoded.remaining());
                    encoded.position(encoded.position() + skipped);
                    trailerLeft -= skipped;
                    if (trailerLeft == 0) {
                        memberEnded = true;
                        headerLength = 0;
                        state = State.HEADER;
                    }
                }
                case IGNORING_REST -> encoded.position(encoded.limit());
            }
        }
    }

    @Override
    public boolean isFinished() {
        return memberEnded && (state == State.IGNORING_REST || (state == State.HEADER && headerLength == 0));
    }

    @Override
    public void end() {
        if (inflation != null) {
            inflation.end();
            inflation = null;
        }
    }

    /** Collects header bytes one at a time, since the header's length is known only as it is read. */
    private void readHeader(ByteBuffer encoded) throws DataFormatException {
        if (headerLength == header.length) {
            if (header.length >= MAX_HEADER_BYTES) {
                throw new DataFormatException("gzip header longer than " + MAX_HEADER_BYTES + " bytes");
            }
            header = Arrays.copyOf(header, Math.min(MAX_HEADER_BYTES, header.length * 2));
        }
        header[headerLength++] = encoded.get();
        if (headerLength == 2 && ((header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b)) {
            if (memberEnded) {
                state = State.IGNORING_REST; // trailing bytes after the last member
                return;
            }
            throw new DataFormatException("not in gzip format");
        }
        int length = completeHeaderLength();
        if (length == headerLength) {
            if ((header[2] & 0xff) != 8) {
                throw new DataFormatException("unsupported gzip compression method " + (header[2] & 0xff));
            }
            inflation = new Inflation(true);
            state = State.INFLATING;
        }
    }

    /** The length of the header collected so far if it is complete, else -1. */
    private int completeHeaderLength() {
        if (headerLength < FIXED_HEADER_BYTES) {
            return -1;
        }
        int flags = header[3] & 0xff;
        int cursor = FIXED_HEADER_BYTES;
        if ((flags & FEXTRA) != 0) {
            if (headerLength < cursor + 2) {
                return -1;
            }
            cursor += 2 + ((header[cursor] & 0xff) | (header[cursor + 1] & 0xff) << 8);
        }
        for (int zeroTerminated : new int[] {FNAME, FCOMMENT}) {
            if ((flags & zeroTerminated) != 0) {
                while (cursor < headerLength && header[cursor] != 0) {
                    cursor++;
                }
                cursor++; // the terminating zero
            }
        }
        if ((flags & FHCRC) != 0) {
            cursor += 2;
        }
        return cursor <= headerLength ? cursor : -1;
    }
}
