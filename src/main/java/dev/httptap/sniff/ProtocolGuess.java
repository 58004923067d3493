package dev.httptap.sniff;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the first bytes a client sends say about its protocol. Decides from at most
 * {@link #DECISIVE_BYTES} bytes: an HTTP/1 request starts with a method token and spaces; a TLS
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
    /** Spaces and tabs taken between the method and the target. */
    static final int MAX_SEPARATOR_CHARS = 8;
    /** With this many bytes, the answer is never NEED_MORE: a method, its separator, one target char. */
    static final int DECISIVE_BYTES = MAX_METHOD_CHARS + MAX_SEPARATOR_CHARS + 1;
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

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
     * A method (any token: servers answer "get" too, if only with 400 or 405), spaces or tabs (servers split
     * on runs of whitespace, RFC 9112 section 3), then a visible character starting the target.
     */
    private static ProtocolGuess requestLineStart(ByteBuffer bytes) {
        int start = bytes.position();
        int available = bytes.remaining();
        int methodEnd = 0;
        while (methodEnd < available && isMethodChar(bytes.get(start + methodEnd))) {
            if (++methodEnd > MAX_METHOD_CHARS) {
                return OTHER;
            }
        }
        if (methodEnd == available) {
            return NEED_MORE;
        }
        int targetStart = methodEnd;
        while (targetStart < available && isSeparator(bytes.get(start + targetStart))) {
            if (++targetStart - methodEnd > MAX_SEPARATOR_CHARS) {
                return OTHER;
            }
        }
        if (methodEnd == 0 || targetStart == methodEnd) {
            return OTHER;
        }
        if (targetStart == available) {
            return NEED_MORE;
        }
        byte target = bytes.get(start + targetStart);
        return target > ' ' && target < 0x7f ? HTTP1 : OTHER;
    }

    /** RFC 9110's tchar. */
    private static boolean isMethodChar(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || TOKEN_SYMBOLS.indexOf(b) >= 0;
    }

    private static boolean isSeparator(byte b) {
        return b == ' ' || b == '\t';
    }
}
