package dev.httptap.http2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A client's header block held while the egress policy decides its stream: the HEADERS frame and its
 * CONTINUATION frames as they came, to pass on unchanged, and the block they carry (without padding and
 * priority fields), to decode, or to replace by another block in frames of the same meaning.
 */
final class HeldBlock {
    /** The largest frame any peer must take (SETTINGS_MAX_FRAME_SIZE's least value). */
    static final int MAX_FRAME_BYTES = 16_384;
    private static final int PRIORITY_BYTES = 5;

    private final int streamId;
    private final boolean endStream;
    /** The HEADERS frame's stream dependency and weight; empty without the PRIORITY flag. */
    private final byte[] priority;
    private final ByteArrayOutputStream frames = new ByteArrayOutputStream();
    private final ByteArrayOutputStream block = new ByteArrayOutputStream();

    private HeldBlock(int streamId, boolean endStream, byte[] priority) {
        this.streamId = streamId;
        this.endStream = endStream;
        this.priority = priority;
    }

    /** Starts with a HEADERS frame, its {@code payload} held whole. */
    static HeldBlock start(FrameHeader headers, ByteBuffer payload) throws Http2Exception {
        int padLength = 0;
        ByteBuffer rest = payload.duplicate();
        if (headers.has(FrameHeader.FLAG_PADDED)) {
            if (!rest.hasRemaining()) {
                throw new Http2Exception("a padded " + headers + " without its pad length");
            }
            padLength = rest.get() & 0xff;
        }
        byte[] priority = new byte[headers.has(FrameHeader.FLAG_PRIORITY) ? PRIORITY_BYTES : 0];
        if (rest.remaining() < priority.length + padLength) {
            throw new Http2Exception("a " + headers + " whose padding is longer than itself");
        }
        rest.get(priority);
        HeldBlock held = new HeldBlock(headers.streamId(), headers.has(FrameHeader.FLAG_END_STREAM), priority);
        held.keep(headers, payload, rest.limit(rest.limit() - padLength));
        return held;
    }

    /** Adds a CONTINUATION frame of this block. */
    void add(FrameHeader continuation, ByteBuffer payload) throws Http2Exception {
        if (block.size() + payload.remaining() > FrameReader.MAX_HEADER_BLOCK_BYTES) {
            throw new Http2Exception("a header block on stream " + streamId + " is larger than "
                    + FrameReader.MAX_HEADER_BLOCK_BYTES + " bytes");
        }
        keep(continuation, payload, payload.duplicate());
    }

    private void keep(FrameHeader frame, ByteBuffer payload, ByteBuffer fragment) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        FrameHeader.write(frames, frame.type(), frame.flags(), frame.streamId(), bytes);
        byte[] piece = new byte[fragment.remaining()];
        fragment.get(piece);
        block.writeBytes(piece);
    }

    int streamId() {
        return streamId;
    }

    /** Whether the HEADERS frame ended the stream: the request has no body (or these are its trailers). */
    boolean endsStream() {
        return endStream;
    }

    ByteBuffer block() {
        return ByteBuffer.wrap(block.toByteArray()).asReadOnlyBuffer();
    }

    /** The frames as they came. */
    ByteBuffer frames() {
        return ByteBuffer.wrap(frames.toByteArray()).asReadOnlyBuffer();
    }

    /** Frames saying what these say, with {@code other} as their header block (unpadded, no larger than any peer takes). */
    ByteBuffer framesWith(byte[] other) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(other.length + 64);
        int first = Math.min(other.length, MAX_FRAME_BYTES - priority.length);
        int flags = (endStream ? FrameHeader.FLAG_END_STREAM : 0) | (priority.length > 0 ? FrameHeader.FLAG_PRIORITY : 0)
                | (first == other.length ? FrameHeader.FLAG_END_HEADERS : 0);
        byte[] payload = Arrays.copyOf(priority, priority.length + first);
        System.arraycopy(other, 0, payload, priority.length, first);
        FrameHeader.write(out, FrameHeader.HEADERS, flags, streamId, payload);
        for (int at = first; at < other.length; at += MAX_FRAME_BYTES) {
            int end = Math.min(other.length, at + MAX_FRAME_BYTES);
            FrameHeader.write(out, FrameHeader.CONTINUATION, end == other.length ? FrameHeader.FLAG_END_HEADERS : 0,
                    streamId, Arrays.copyOfRange(other, at, end));
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }
}
