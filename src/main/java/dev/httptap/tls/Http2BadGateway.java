package dev.httptap.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackEncoder;
import org.eclipse.jetty.http2.hpack.HpackException;

/**
 * The 502 in HTTP/2 (RFC 9113), for a child that agreed only h2: httptap's SETTINGS first, then every
 * request stream is answered with the 502 as soon as its header block is complete, and SETTINGS and PING
 * are acknowledged. The header blocks themselves are never decoded: every request gets the same answer.
 *
 * <p>After the first answer it shuts down gracefully, as RFC 9113 section 6.8 suggests: a GOAWAY announcing
 * the end, with a PING behind it. The client acknowledges that PING only after everything it sent before
 * hearing of the shutdown, so once the acknowledgement arrives every stream it opened has been answered; a
 * final GOAWAY names the last one and the connection closes. A wrong preface gets GOAWAY PROTOCOL_ERROR.
 * Frame payloads are skipped, never held, except PING's 8 bytes.
 */
final class Http2BadGateway implements BadGateway {
    private static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER_BYTES = 9;
    /** The largest frame a peer may send before SETTINGS_MAX_FRAME_SIZE says otherwise. */
    private static final int MAX_FRAME_BYTES = 16_384;
    private static final int MAX_STREAM_ID = 0x7fff_ffff;

    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int CONTINUATION = 0x9;

    private static final int FLAG_END_STREAM = 0x1;
    private static final int FLAG_ACK = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;

    private static final int NO_ERROR = 0x0;
    private static final int PROTOCOL_ERROR = 0x1;
    private static final int FRAME_SIZE_ERROR = 0x6;

    private static final int PING_BYTES = 8;
    /** The opaque data of the PING behind the first GOAWAY. */
    private static final byte[] SHUTDOWN_PING = "httptap!".getBytes(StandardCharsets.US_ASCII);

    private enum State { PREFACE, FRAME_HEADER, PAYLOAD, FINISHED }

    private final byte[] body;
    /** Without a dynamic table every block stands alone, whatever table size the client allows. */
    private final HpackEncoder encoder = new HpackEncoder();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteBuffer frameHeader = ByteBuffer.allocate(FRAME_HEADER_BYTES);
    private final ByteBuffer pingPayload = ByteBuffer.allocate(PING_BYTES);
    private State state = State.PREFACE;
    private boolean sentSettings;
    private int prefaceMatched;
    private int type;
    private int flags;
    private int streamId;
    private int payloadLeft;
    /** The stream whose request header block continues in CONTINUATION frames; 0 when none does. */
    private int continuedStream;
    private boolean continuedStreamEnded;
    private int lastAnswered;
    private boolean shuttingDown;

    Http2BadGateway(byte[] body) {
        this.body = body.clone();
        encoder.setTableCapacity(0);
    }

    @Override
    public ByteBuffer answer(ByteBuffer fromClient) {
        if (!sentSettings) {
            sentSettings = true;
            frame(SETTINGS, 0, 0, new byte[0]); // the server's preface; the defaults suit a 502
        }
        while (fromClient.hasRemaining() && state != State.FINISHED) {
            switch (state) {
                case PREFACE -> readPreface(fromClient);
                case FRAME_HEADER -> readFrameHeader(fromClient);
                case PAYLOAD -> readPayload(fromClient);
                case FINISHED -> { }
            }
        }
        fromClient.position(fromClient.limit()); // after the end, nothing is listened to
        ByteBuffer answer = ByteBuffer.wrap(out.toByteArray());
        out.reset();
        return answer;
    }

    @Override
    public boolean isFinished() {
        return state == State.FINISHED;
    }

    private void readPreface(ByteBuffer bytes) {
        while (bytes.hasRemaining() && prefaceMatched < CLIENT_PREFACE.length) {
            if (bytes.get() != CLIENT_PREFACE[prefaceMatched++]) {
                goAway(PROTOCOL_ERROR);
                return;
            }
        }
        if (prefaceMatched == CLIENT_PREFACE.length) {
            state = State.FRAME_HEADER;
        }
    }

    private void readFrameHeader(ByteBuffer bytes) {
        while (bytes.hasRemaining() && frameHeader.hasRemaining()) {
            frameHeader.put(bytes.get());
        }
        if (frameHeader.hasRemaining()) {
            return;
        }
        frameHeader.flip();
        int length = (frameHeader.get() & 0xff) << 16 | (frameHeader.get() & 0xff) << 8 | (frameHeader.get() & 0xff);
        type = frameHeader.get() & 0xff;
        flags = frameHeader.get() & 0xff;
        streamId = frameHeader.getInt() & MAX_STREAM_ID; // the top bit is reserved
        frameHeader.clear();
        if (length > MAX_FRAME_BYTES || (type == PING && length != PING_BYTES)) {
            goAway(FRAME_SIZE_ERROR);
            return;
        }
        payloadLeft = length;
        pingPayload.clear();
        state = State.PAYLOAD;
        if (length == 0) {
            endFrame();
        }
    }

    private void readPayload(ByteBuffer bytes) {
        int count = Math.min(payloadLeft, bytes.remaining());
        if (type == PING) {
            pingPayload.put(bytes.slice(bytes.position(), count));
        }
        bytes.position(bytes.position() + count);
        payloadLeft -= count;
        if (payloadLeft == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        state = State.FRAME_HEADER;
        switch (type) {
            case SETTINGS -> {
                if (!has(FLAG_ACK)) {
                    frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
                }
            }
            case PING -> endPing();
            case HEADERS -> startRequest();
            case CONTINUATION -> {
                if (streamId == continuedStream && has(FLAG_END_HEADERS)) {
                    continuedStream = 0;
                    answerStream(streamId, continuedStreamEnded);
                }
            }
            case GOAWAY -> goAway(NO_ERROR); // the client is leaving; every stream it opened was answered
            default -> { } // DATA, PRIORITY, RST_STREAM, WINDOW_UPDATE, extensions: nothing to answer
        }
    }

    private void endPing() {
        byte[] opaque = pingPayload.array();
        if (!has(FLAG_ACK)) {
            frame(PING, FLAG_ACK, 0, opaque);
        } else if (shuttingDown && Arrays.equals(opaque, SHUTDOWN_PING)) {
            goAway(NO_ERROR);
        }
    }

    /** A HEADERS frame on a new client stream opens a request; others (trailers, stream 0) are ignored. */
    private void startRequest() {
        if (streamId % 2 == 0 || streamId <= lastAnswered) {
            return;
        }
        if (has(FLAG_END_HEADERS)) {
            answerStream(streamId, has(FLAG_END_STREAM));
        } else {
            continuedStream = streamId;
            continuedStreamEnded = has(FLAG_END_STREAM);
        }
    }

    private void answerStream(int stream, boolean requestEnded) {
        frame(HEADERS, FLAG_END_HEADERS, stream, responseHead());
        for (int at = 0; at < body.length; at += MAX_FRAME_BYTES) { // the body is never empty
            int end = Math.min(body.length, at + MAX_FRAME_BYTES);
            frame(DATA, end == body.length ? FLAG_END_STREAM : 0, stream, Arrays.copyOfRange(body, at, end));
        }
        if (!requestEnded) {
            frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(NO_ERROR).array()); // the rest is not needed
        }
        lastAnswered = stream;
        if (!shuttingDown) {
            shuttingDown = true;
            frame(GOAWAY, 0, 0, goAwayPayload(MAX_STREAM_ID, NO_ERROR));
            frame(PING, 0, 0, SHUTDOWN_PING);
        }
    }

    private byte[] responseHead() {
        HttpFields fields = HttpFields.build()
                .add("content-type", "text/plain; charset=utf-8")
                .add("content-length", Integer.toString(body.length));
        ByteBuffer block = ByteBuffer.allocate(256);
        try {
            encoder.encode(block, new MetaData.Response(502, null, HttpVersion.HTTP_2, fields));
        } catch (HpackException e) {
            throw new IllegalStateException("cannot encode the 502's head", e);
        }
        return Arrays.copyOf(block.array(), block.position());
    }

    private void goAway(int errorCode) {
        frame(GOAWAY, 0, 0, goAwayPayload(lastAnswered, errorCode));
        state = State.FINISHED;
    }

    private static byte[] goAwayPayload(int lastStreamId, int errorCode) {
        return ByteBuffer.allocate(8).putInt(lastStreamId).putInt(errorCode).array();
    }

    private boolean has(int flag) {
        return (flags & flag) != 0;
    }

    private void frame(int frameType, int frameFlags, int stream, byte[] payload) {
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER_BYTES);
        header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        header.put((byte) frameType).put((byte) frameFlags).putInt(stream);
        out.writeBytes(header.array());
        out.writeBytes(payload);
    }
}
