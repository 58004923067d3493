package dev.httptap.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Reads the frames of one direction of an HTTP/2 connection from bytes arriving in any split, and tells a
 * {@link Handler} what they mean. DATA is streamed through without being held; a header block
 * (HEADERS or PUSH_PROMISE and its CONTINUATION frames) is gathered whole, up to a bound; frames nobody
 * needs (PING, PRIORITY, WINDOW_UPDATE, unknown types) are skipped without being held.
 */
final class FrameReader {
    static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A header block larger than this is not followed; real ones are a few KiB. */
    static final int MAX_HEADER_BLOCK_BYTES = HeaderBlockDecoder.MAX_HEADER_LIST_BYTES;
    /** Control frames (SETTINGS, RST_STREAM, GOAWAY) are held whole; GOAWAY's debug data is the only long part. */
    static final int MAX_CONTROL_FRAME_BYTES = 64 * 1024;


    /** What the frames say. Buffers are read-only views valid only during the call. */
    interface Handler {
        /** A complete header block of a HEADERS frame and its CONTINUATION frames. */
        void onHeaders(int streamId, ByteBuffer block, boolean endStream) throws Http2Exception;

        /** A piece of a DATA frame's content, padding excluded. */
        void onData(int streamId, ByteBuffer content);

        /** A DATA frame with END_STREAM ended. */
        void onDataEndStream(int streamId);

        void onPushPromise(int streamId, int promisedStreamId, ByteBuffer block) throws Http2Exception;

        void onRstStream(int streamId, int errorCode);

        /** SETTINGS_HEADER_TABLE_SIZE: how large a table the sender lets the other side's encoder use. */
        void onHeaderTableSize(long bytes);

        void onGoAway(int lastStreamId, int errorCode);
    }

    private enum State {
        PREFACE, FRAME_HEADER, HELD_PAYLOAD, DATA_PAD_LENGTH, DATA_CONTENT, SKIPPING
    }

    private final Handler handler;
    private final ByteBuffer headerBytes = ByteBuffer.allocate(FrameHeader.SIZE);
    private State state;
    private int prefaceMatched;
    private FrameHeader frame;
    /** The payload of the current frame while it is gathered. */
    private ByteBuffer payload;
    /** DATA content bytes left in the current frame, then the padding to skip. */
    private int contentLeft;
    private int paddingLeft;
    private int skipLeft;
    /** The header block gathered so far while CONTINUATION frames are due; null otherwise. */
    private ByteBuffer headerBlock;
    private FrameHeader blockStart;
    private int promisedStreamId;

    private FrameReader(Handler handler, boolean expectPreface) {
        this.handler = handler;
        this.state = expectPreface ? State.PREFACE : State.FRAME_HEADER;
    }

    /** Whether the client's connection preface has been read whole (always, for the server's reader). */
    boolean isPastPreface() {
        return state != State.PREFACE;
    }

    /** The reader of the client's bytes, which start with the connection preface. */
    static FrameReader client(Handler handler) {
        return new FrameReader(handler, true);
    }

    /** The reader of the server's bytes. */
    static FrameReader server(Handler handler) {
        return new FrameReader(handler, false);
    }

    /** Reads all of {@code bytes} (moving its position). */
    void read(ByteBuffer bytes) throws Http2Exception {
        while (bytes.hasRemaining()) {
            switch (state) {
                case PREFACE -> readPreface(bytes);
                case FRAME_HEADER -> readFrameHeader(bytes);
                case HELD_PAYLOAD -> readHeldPayload(bytes);
                case DATA_PAD_LENGTH -> readPadLength(bytes.get());
                case DATA_CONTENT -> readDataContent(bytes);
                case SKIPPING -> skip(bytes);
            }
        }
    }

    private void readPreface(ByteBuffer bytes) throws Http2Exception {
        while (bytes.hasRemaining() && prefaceMatched < CLIENT_PREFACE.length) {
            if (bytes.get() != CLIENT_PREFACE[prefaceMatched++]) {
                throw new Http2Exception("the client's connection preface is wrong");
            }
        }
        if (prefaceMatched == CLIENT_PREFACE.length) {
            state = State.FRAME_HEADER;
        }
    }

    private void readFrameHeader(ByteBuffer bytes) throws Http2Exception {
        int count = Math.min(headerBytes.remaining(), bytes.remaining());
        headerBytes.put(bytes.slice(bytes.position(), count));
        bytes.position(bytes.position() + count);
        if (headerBytes.hasRemaining()) {
            return;
        }
        frame = FrameHeader.parse(headerBytes.flip());
        headerBytes.clear();
        startFrame();
    }

    private void startFrame() throws Http2Exception {
        if (headerBlock != null && frame.type() != FrameHeader.CONTINUATION) {
            throw new Http2Exception("a header block was interrupted by a " + frame);
        }
        switch (frame.type()) {
            case FrameHeader.DATA -> startData();
            case FrameHeader.HEADERS, FrameHeader.PUSH_PROMISE, FrameHeader.CONTINUATION -> {
                requireStream(true);
                hold(MAX_HEADER_BLOCK_BYTES);
            }
            case FrameHeader.RST_STREAM -> {
                requireStream(true);
                requireLength(4);
                hold(4);
            }
            case FrameHeader.SETTINGS -> {
                requireStream(false);
                if (frame.length() % SettingsPayload.ENTRY_BYTES != 0) {
                    throw new Http2Exception("a SETTINGS frame of " + frame.length() + " bytes, not a multiple of " + SettingsPayload.ENTRY_BYTES);
                }
                hold(MAX_CONTROL_FRAME_BYTES);
            }
            case FrameHeader.GOAWAY -> {
                requireStream(false);
                if (frame.length() < 8) {
                    throw new Http2Exception("a GOAWAY frame of " + frame.length() + " bytes");
                }
                hold(MAX_CONTROL_FRAME_BYTES);
            }
            default -> skipPayload(frame.length()); // PING, PRIORITY, WINDOW_UPDATE, extensions
        }
    }

    private void requireStream(boolean onStream) throws Http2Exception {
        if ((frame.streamId() != 0) != onStream) {
            throw new Http2Exception("a " + frame + (onStream ? " needs a stream" : " must be on stream 0"));
        }
    }

    private void requireLength(int length) throws Http2Exception {
        if (frame.length() != length) {
            throw new Http2Exception("a " + frame + " should have " + length + " bytes");
        }
    }

    private void hold(int bound) throws Http2Exception {
        if (frame.length() > bound) {
            throw new Http2Exception("a " + frame + " is larger than the " + bound + " bytes followed");
        }
        payload = ByteBuffer.allocate(frame.length());
        state = State.HELD_PAYLOAD;
        if (frame.length() == 0) {
            endHeldPayload();
        }
    }

    private void readHeldPayload(ByteBuffer bytes) throws Http2Exception {
        int count = Math.min(payload.remaining(), bytes.remaining());
        payload.put(bytes.slice(bytes.position(), count));
        bytes.position(bytes.position() + count);
        if (!payload.hasRemaining()) {
            endHeldPayload();
        }
    }

    private void endHeldPayload() throws Http2Exception {
        ByteBuffer held = payload.flip();
        payload = null;
        state = State.FRAME_HEADER;
        switch (frame.type()) {
            case FrameHeader.HEADERS -> startHeaderBlock(withoutPadding(held, frame.has(FrameHeader.FLAG_PRIORITY) ? 5 : 0));
            case FrameHeader.PUSH_PROMISE -> {
                ByteBuffer fragment = withoutPadding(held, 4);
                promisedStreamId = held.getInt(held.position() - 4) & 0x7fff_ffff;
                startHeaderBlock(fragment);
            }
            case FrameHeader.CONTINUATION -> continueHeaderBlock(held);
            case FrameHeader.RST_STREAM -> handler.onRstStream(frame.streamId(), held.getInt());
            case FrameHeader.SETTINGS -> readSettings(held);
            case FrameHeader.GOAWAY -> handler.onGoAway(held.getInt() & 0x7fff_ffff, held.getInt());
            default -> throw new IllegalStateException("held a " + frame);
        }
    }

    /**
     * The part of a HEADERS or PUSH_PROMISE payload that is header block: after the pad length and the
     * {@code fixedFields} bytes (priority, promised stream), before the padding. Leaves the buffer's
     * position just after the fixed fields.
     */
    private ByteBuffer withoutPadding(ByteBuffer held, int fixedFields) throws Http2Exception {
        int padLength = 0;
        if (frame.has(FrameHeader.FLAG_PADDED)) {
            if (!held.hasRemaining()) {
                throw new Http2Exception("a padded " + frame + " without its pad length");
            }
            padLength = held.get() & 0xff;
        }
        int blockLength = held.remaining() - fixedFields - padLength;
        if (blockLength < 0) {
            throw new Http2Exception("a " + frame + " whose padding is longer than itself");
        }
        held.position(held.position() + fixedFields);
        return held.slice(held.position(), blockLength);
    }

    private void startHeaderBlock(ByteBuffer fragment) throws Http2Exception {
        blockStart = frame;
        if (frame.has(FrameHeader.FLAG_END_HEADERS)) {
            endHeaderBlock(fragment);
        } else {
            headerBlock = ByteBuffer.allocate(Math.max(fragment.remaining(), 1024));
            appendToBlock(fragment);
        }
    }

    private void continueHeaderBlock(ByteBuffer fragment) throws Http2Exception {
        if (headerBlock == null || frame.streamId() != blockStart.streamId()) {
            throw new Http2Exception("a CONTINUATION frame on stream " + frame.streamId() + " continues nothing");
        }
        appendToBlock(fragment);
        if (frame.has(FrameHeader.FLAG_END_HEADERS)) {
            ByteBuffer block = headerBlock.flip();
            headerBlock = null;
            endHeaderBlock(block);
        }
    }

    private void appendToBlock(ByteBuffer fragment) throws Http2Exception {
        if (headerBlock.position() + fragment.remaining() > MAX_HEADER_BLOCK_BYTES) {
            throw new Http2Exception("a header block on stream " + blockStart.streamId() + " is larger than "
                    + MAX_HEADER_BLOCK_BYTES + " bytes");
        }
        if (headerBlock.remaining() < fragment.remaining()) {
            int capacity = Math.min(MAX_HEADER_BLOCK_BYTES,
                    Math.max(2 * headerBlock.capacity(), headerBlock.position() + fragment.remaining()));
            headerBlock = ByteBuffer.allocate(capacity).put(headerBlock.flip());
        }
        headerBlock.put(fragment);
    }

    private void endHeaderBlock(ByteBuffer block) throws Http2Exception {
        ByteBuffer view = block.asReadOnlyBuffer();
        if (blockStart.type() == FrameHeader.PUSH_PROMISE) {
            handler.onPushPromise(blockStart.streamId(), promisedStreamId, view);
        } else {
            handler.onHeaders(blockStart.streamId(), view, blockStart.has(FrameHeader.FLAG_END_STREAM));
        }
    }

    private void readSettings(ByteBuffer held) {
        if (!frame.has(FrameHeader.FLAG_ACK)) {
            headerTableSize(held).ifPresent(handler::onHeaderTableSize);
        }
    }

    /** The last SETTINGS_HEADER_TABLE_SIZE among {@code settings} (a SETTINGS frame's payload), if any. */
    static OptionalLong headerTableSize(ByteBuffer settings) {
        long[] sizes = SettingsPayload.values(settings, SettingsPayload.HEADER_TABLE_SIZE);
        return sizes.length == 0 ? OptionalLong.empty() : OptionalLong.of(sizes[sizes.length - 1]);
    }

    private void startData() throws Http2Exception {
        requireStream(true);
        paddingLeft = 0;
        contentLeft = frame.length();
        if (frame.has(FrameHeader.FLAG_PADDED)) {
            if (frame.length() == 0) {
                throw new Http2Exception("a padded " + frame + " without its pad length");
            }
            state = State.DATA_PAD_LENGTH;
        } else {
            state = State.DATA_CONTENT;
            endDataIfDone();
        }
    }

    private void readPadLength(byte padLength) throws Http2Exception {
        paddingLeft = padLength & 0xff;
        contentLeft = frame.length() - 1 - paddingLeft;
        if (contentLeft < 0) {
            throw new Http2Exception("a " + frame + " whose padding is longer than itself");
        }
        state = State.DATA_CONTENT;
        endDataIfDone();
    }

    private void readDataContent(ByteBuffer bytes) {
        int count = Math.min(contentLeft, bytes.remaining());
        handler.onData(frame.streamId(), bytes.slice(bytes.position(), count).asReadOnlyBuffer());
        bytes.position(bytes.position() + count);
        contentLeft -= count;
        endDataIfDone();
    }

    /** Once the content is read: the padding is skipped, then the end of the stream (if flagged) reported. */
    private void endDataIfDone() {
        if (contentLeft > 0) {
            return;
        }
        if (frame.has(FrameHeader.FLAG_END_STREAM)) {
            handler.onDataEndStream(frame.streamId());
        }
        skipPayload(paddingLeft);
    }

    private void skipPayload(int count) {
        skipLeft = count;
        state = count == 0 ? State.FRAME_HEADER : State.SKIPPING;
    }

    private void skip(ByteBuffer bytes) {
        int count = Math.min(skipLeft, bytes.remaining());
        bytes.position(bytes.position() + count);
        skipLeft -= count;
        if (skipLeft == 0) {
            state = State.FRAME_HEADER;
        }
    }
}
