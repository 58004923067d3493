package dev.httptap.http2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** The 9 bytes in front of every HTTP/2 frame (RFC 9113 section 4.1). */
record FrameHeader(int length, int type, int flags, int streamId) {
    static final int SIZE = 9;

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_PADDED = 0x8;
    static final int FLAG_PRIORITY = 0x20;

    /** Reads a header from the 9 bytes at the buffer's position, without moving it. */
    static FrameHeader parse(ByteBuffer bytes) {
        int at = bytes.position();
        int length = (bytes.get(at) & 0xff) << 16 | (bytes.get(at + 1) & 0xff) << 8 | (bytes.get(at + 2) & 0xff);
        int streamId = bytes.getInt(at + 5) & 0x7fff_ffff; // the top bit is reserved
        return new FrameHeader(length, bytes.get(at + 3) & 0xff, bytes.get(at + 4) & 0xff, streamId);
    }

    /** Writes a frame: this layout's 9 bytes, then {@code payload}. */
    static void write(ByteArrayOutputStream out, int type, int flags, int streamId, byte[] payload) {
        int length = payload.length;
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(flags);
        out.write(streamId >>> 24);
        out.write(streamId >>> 16);
        out.write(streamId >>> 8);
        out.write(streamId);
        out.writeBytes(payload);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return "frame type " + type + " on stream " + streamId + " (" + length + " bytes)";
    }
}
