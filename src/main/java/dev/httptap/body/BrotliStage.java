package dev.httptap.body;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.brotli.dec.BrotliInputStream;

/**
 * Undoes brotli (RFC 7932) as bytes arrive, although Google's decoder pulls its input: it is run only while
 * more encoded bytes wait than one step of it can read, so it never finds its input empty before the body
 * ends; the rest is decoded then. A step ends when the decoder's ring buffer (the stream's window, 1 KiB to
 * 16 MiB, said in its first byte) is full, so what is held back is a window's worth of input and a margin
 * ({@link #holdBytes}). A stream that needs more than that for one step (a huge metadata block, input that
 * grows when compressed) is reported, not guessed at.
 */
final class BrotliStage implements DecodingStage {
    private static final int STEP_BYTES = 16 * 1024;
    /**
     * The most one brotli body may hold (input held back and the decoder's window, about as large): a quarter
     * of the heap, so that a large window in a small heap (-Xmx64m) makes "not decoded", not an exhausted heap.
     */
    static final long MEMORY_BUDGET = Runtime.getRuntime().maxMemory() / 4;

    private final long memoryBudget;
    private final Waiting waiting = new Waiting();
    private final byte[] output = new byte[STEP_BYTES];
    private InputStream decoder;
    /** Encoded bytes that must wait before a step: known from the stream's first byte. */
    private int holdBytes = Integer.MAX_VALUE;
    private boolean ended;

    BrotliStage() {
        this(MEMORY_BUDGET);
    }

    /** {@code memoryBudget}: the most this body may hold, its window and the input held back. */
    BrotliStage(long memoryBudget) {
        this.memoryBudget = memoryBudget;
    }

    @Override
    public void feed(ByteBuffer encoded, Downstream next) throws DataFormatException {
        waiting.add(encoded);
        if (holdBytes == Integer.MAX_VALUE && waiting.available() > 0) {
            holdBytes = holdBytes(waiting.first());
            if (2L * holdBytes > memoryBudget) {
                ended = true;
                throw new DecodingRefused("br needs " + ((2L * holdBytes + (1 << 20) - 1) >> 20) + " MiB, over a quarter of the heap");
            }
        }
        while (!ended && waiting.available() >= holdBytes) {
            if (!step(next)) {
                return;
            }
        }
    }

    @Override
    public void endOfInput(Downstream next) throws DataFormatException {
        waiting.atEnd = true;
        while (!ended) {
            if (!step(next)) {
                return;
            }
        }
    }

    /**
     * What a step may read, from the stream's first byte, which holds its window bits (RFC 7932 9.1): the
     * window, an eighth more for the codes and for blocks stored uncompressed, and 64 KiB for headers.
     */
    static int holdBytes(int firstByte) {
        int windowBits;
        if ((firstByte & 1) == 0) {
            windowBits = 16;
        } else if (((firstByte >>> 1) & 7) != 0) {
            windowBits = 17 + ((firstByte >>> 1) & 7);
        } else {
            int small = (firstByte >>> 4) & 7;
            windowBits = small == 0 ? 17 : 8 + small; // 9 (small == 1) is reserved: the decoder rejects it
        }
        int window = 1 << windowBits;
        return window + window / 8 + 64 * 1024;
    }

    /** One read from the decoder; false when {@code next} wants no more. */
    private boolean step(Downstream next) throws DataFormatException {
        int count;
        try {
            if (decoder == null) {
                decoder = new BrotliInputStream(waiting, STEP_BYTES); // reads the stream header at once
            }
            count = decoder.read(output, 0, output.length);
        } catch (IOException | RuntimeException e) {
            // The decoder reports corrupt input with BrotliRuntimeException, whose cause may say more.
            Throwable cause = e.getCause() instanceof Waiting.Overrun ? e.getCause() : e;
            ended = true;
            DataFormatException failure = new DataFormatException(cause.getMessage() == null ? cause.toString() : cause.getMessage());
            failure.initCause(e);
            throw failure;
        }
        if (count < 0) {
            ended = true;
            waiting.clear();
            return true;
        }
        return count == 0 || next.accept(ByteBuffer.wrap(output, 0, count).asReadOnlyBuffer());
    }

    @Override
    public boolean isFinished() {
        return ended;
    }

    @Override
    public void end() {
        ended = true;
        waiting.clear();
        decoder = null;
    }

    /** The encoded bytes not yet read by the decoder, as the stream it pulls from. */
    private static final class Waiting extends InputStream {
        /** The decoder asked for more than was held back before the body ended. */
        static final class Overrun extends IOException {
            Overrun() {
                super("a step needs more input at once than its window's worth");
            }
        }

        private final Backlog backlog = new Backlog();
        boolean atEnd;

        void add(ByteBuffer data) {
            backlog.add(data);
        }

        @Override
        public int available() {
            return backlog.length();
        }

        /** The first byte waiting; there is one. */
        int first() {
            return backlog.array()[backlog.start()] & 0xff;
        }

        void clear() {
            backlog.clear();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (backlog.length() == 0) {
                if (atEnd) {
                    return -1;
                }
                throw new Overrun();
            }
            int count = Math.min(length, backlog.length());
            System.arraycopy(backlog.array(), backlog.start(), into, offset, count);
            backlog.take(count);
            return count;
        }
    }
}
