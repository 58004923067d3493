package dev.httptap.http2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackEncoder;
import org.eclipse.jetty.http2.hpack.HpackException;

/**
 * Builds the bytes of one direction of an HTTP/2 connection for tests: frames as RFC 9113 lays them out,
 * header blocks HPACK-encoded by Jetty's encoder, whose dynamic table carries over from block to block as a
 * real peer's does. Use one instance per direction.
 */
public final class Http2Frames {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final HpackEncoder encoder = new HpackEncoder();

    public Http2Frames() {
        encoder.setMaxHeaderListSize(HeaderBlockDecoder.MAX_HEADER_LIST_BYTES);
    }

    public Http2Frames preface() {
        bytes.writeBytes(FrameReader.CLIENT_PREFACE);
        return this;
    }

    public Http2Frames settings() {
        return frame(FrameHeader.SETTINGS, 0, 0, new byte[0]);
    }

    /** A SETTINGS frame with SETTINGS_HEADER_TABLE_SIZE (and its use by this side's encoder). */
    public Http2Frames settingsHeaderTableSize(int size) {
        return frame(FrameHeader.SETTINGS, 0, 0, ByteBuffer.allocate(6).putShort((short) 1).putInt(size).array());
    }

    /** Lets this side's encoder use a dynamic table of {@code size} bytes (announced in its next block). */
    public Http2Frames encoderTableCapacity(int size) {
        encoder.setMaxTableCapacity(size);
        encoder.setTableCapacity(size);
        return this;
    }

    public Http2Frames settingsAck() {
        return frame(FrameHeader.SETTINGS, FrameHeader.FLAG_ACK, 0, new byte[0]);
    }

    /** A request head in one HEADERS frame; the rest of {@code fields} are name, value pairs. */
    public Http2Frames request(int streamId, boolean endStream, String method, String scheme, String authority,
            String path, String... fields) {
        MetaData.Request head = new MetaData.Request(method, HttpURI.build().scheme(scheme).authority(authority)
                .pathQuery(path), HttpVersion.HTTP_2, fieldsOf(fields));
        return headers(streamId, endStream, encode(head));
    }

    public Http2Frames response(int streamId, boolean endStream, int status, String... fields) {
        return headers(streamId, endStream, encode(new MetaData.Response(status, null, HttpVersion.HTTP_2, fieldsOf(fields))));
    }

    public Http2Frames trailers(int streamId, String... fields) {
        return headers(streamId, true, encode(new MetaData(HttpVersion.HTTP_2, fieldsOf(fields))));
    }

    public Http2Frames headers(int streamId, boolean endStream, byte[] block) {
        return frame(FrameHeader.HEADERS, FrameHeader.FLAG_END_HEADERS | (endStream ? FrameHeader.FLAG_END_STREAM : 0),
                streamId, block);
    }

    /** A request head split over a HEADERS frame and CONTINUATION frames of at most {@code pieceSize} bytes. */
    public Http2Frames requestInPieces(int streamId, int pieceSize, String method, String authority, String path,
            String... fields) {
        byte[] block = encode(new MetaData.Request(method, HttpURI.build().scheme("https").authority(authority)
                .pathQuery(path), HttpVersion.HTTP_2, fieldsOf(fields)));
        for (int at = 0; at < block.length; at += pieceSize) {
            byte[] piece = Arrays.copyOfRange(block, at, Math.min(block.length, at + pieceSize));
            boolean last = at + pieceSize >= block.length;
            int flags = (last ? FrameHeader.FLAG_END_HEADERS : 0) | (at == 0 ? FrameHeader.FLAG_END_STREAM : 0);
            frame(at == 0 ? FrameHeader.HEADERS : FrameHeader.CONTINUATION, flags, streamId, piece);
        }
        return this;
    }

    public Http2Frames pushPromise(int streamId, int promisedStreamId, String authority, String path) {
        byte[] block = encode(new MetaData.Request("GET", HttpURI.build().scheme("https").authority(authority)
                .pathQuery(path), HttpVersion.HTTP_2, HttpFields.build()));
        ByteBuffer payload = ByteBuffer.allocate(4 + block.length).putInt(promisedStreamId).put(block);
        return frame(FrameHeader.PUSH_PROMISE, FrameHeader.FLAG_END_HEADERS, streamId, payload.array());
    }

    public Http2Frames data(int streamId, boolean endStream, String content) {
        return frame(FrameHeader.DATA, endStream ? FrameHeader.FLAG_END_STREAM : 0, streamId, content.getBytes());
    }

    /** DATA with {@code padding} zero bytes after the content (PADDED flag, pad length first). */
    public Http2Frames paddedData(int streamId, boolean endStream, String content, int padding) {
        byte[] text = content.getBytes();
        ByteBuffer payload = ByteBuffer.allocate(1 + text.length + padding).put((byte) padding).put(text);
        int flags = FrameHeader.FLAG_PADDED | (endStream ? FrameHeader.FLAG_END_STREAM : 0);
        return frame(FrameHeader.DATA, flags, streamId, payload.array());
    }

    public Http2Frames rstStream(int streamId, int errorCode) {
        return frame(FrameHeader.RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    public Http2Frames goAway(int lastStreamId, int errorCode) {
        return frame(FrameHeader.GOAWAY, 0, 0, ByteBuffer.allocate(8).putInt(lastStreamId).putInt(errorCode).array());
    }

    public Http2Frames ping() {
        return frame(FrameHeader.PING, 0, 0, new byte[8]);
    }

    public Http2Frames windowUpdate(int streamId, int increment) {
        return frame(FrameHeader.WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
    }

    public Http2Frames frame(int type, int flags, int streamId, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(FrameHeader.SIZE);
        header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        header.put((byte) type).put((byte) flags).putInt(streamId);
        bytes.writeBytes(header.array());
        bytes.writeBytes(payload);
        return this;
    }

    public Http2Frames raw(byte[] more) {
        bytes.writeBytes(more);
        return this;
    }

    /** The bytes built since the last call. */
    public byte[] take() {
        byte[] taken = bytes.toByteArray();
        bytes.reset();
        return taken;
    }

    private byte[] encode(MetaData head) {
        ByteBuffer block = ByteBuffer.allocate(64 * 1024);
        try {
            encoder.encode(block, head);
        } catch (HpackException e) {
            throw new AssertionError(e);
        }
        return Arrays.copyOf(block.array(), block.position());
    }

    private static HttpFields fieldsOf(String... namesAndValues) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }
}
