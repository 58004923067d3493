package dev.httptap.sniff;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the first bytes a client sends say about its protocol. Decides from at most
 * {@link #DECISIVE_BYTES} bytes: an HTTP/1 request starts with a method and whitespace; a TLS
 * handshake record with 0x16 0x03; HTTP/2 with its connection preface.
 */
enum ProtocolGuess {
    HTTP1("an HTTP/1 request"),
    TLS("TLS"),
    HTTP2_PREFACE("the HTTP/2 preface"),
    OTHER("not HTTP"),
    NEED_MORE("undecided");

    /** Longest method token taken for HTTP (registered methods are at most 17 chars). */
    static final int MAX_METHOD_CHARS = 24;
    /** Empty lines before a request line (CR LF after a body), as servers skip them. */
    static final int MAX_LEADING_LINE_END_BYTES = 4;
    /** Spaces and tabs taken between the method and the target. */
    static final int MAX_SPACES = 8;
    /** With this many bytes, the answer is never NEED_MORE: line ends, a method, spaces, one target char. */
    static final int DECISIVE_BYTES = MAX_LEADING_LINE_END_BYTES + MAX_METHOD_CHARS + MAX_SPACES + 1;

    private static final byte[] H2_PREFACE_START = "PRI * HTTP/2.0".getBytes(StandardCharsets.US_ASCII);
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;

    final String description;

    ProtocolGuess(String description) {
        this.description = description;
    }

    /** Looks at the bytes from the buffer's position on, without moving it. */
    static ProtocolGuess of(ByteBuffer bytes) {
        int start = bytes.position();
        int available = bytes.remaining();
        if (available == 0) {
            return NEED_MORE;
        }
        if (bytes.get(start) == TLS_HANDSHAKE) {
            return available < 2 ? NEED_MORE : bytes.get(start + 1) == TLS_MAJOR_VERSION ? TLS : OTHER;
        }
        if (startsLikeH2Preface(bytes)) {
            return available < H2_PREFACE_START.length ? NEED_MORE : HTTP2_PREFACE;
        }
        return requestLineStart(bytes);
    }

    private static boolean startsLikeH2Preface(ByteBuffer bytes) {
        int count = Math.min(bytes.remaining(), H2_PREFACE_START.length);
        for (int i = 0; i < count; i++) {
            if (bytes.get(bytes.position() + i) != H2_PREFACE_START[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * As servers read a request line: a few empty lines, a method (letters in any case, '-', '_'), a run
     * of spaces or tabs, then a visible character starting the target.
     */
    private static ProtocolGuess requestLineStart(ByteBuffer bytes) {
        int end = bytes.position() + bytes.remaining();
        int i = bytes.position();
        for (int skipped = 0; i < end && isLineEnd(bytes.get(i)); i++) {
            if (++skipped > MAX_LEADING_LINE_END_BYTES) {
                return OTHER;
            }
        }
        int methodStart = i;
        while (i < end && isMethodChar(bytes.get(i))) {
            if (i - methodStart == MAX_METHOD_CHARS) {
                return OTHER;
            }
            i++;
        }
        if (i == end) {
            return NEED_MORE;
        }
        if (i == methodStart || !isSpace(bytes.get(i))) {
            return OTHER;
        }
        int spacesStart = i;
        while (i < end && isSpace(bytes.get(i))) {
            if (i - spacesStart == MAX_SPACES) {
                return OTHER;
            }
            i++;
        }
        if (i == end) {
            return NEED_MORE;
        }
        byte target = bytes.get(i);
        return target > ' ' && target < 0x7f ? HTTP1 : OTHER;
    }

    private static boolean isLineEnd(byte b) {
        return b == '\r' || b == '\n';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isMethodChar(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '-' || b == '_';
    }
}
