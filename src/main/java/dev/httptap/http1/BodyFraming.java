package dev.httptap.http1;

/** How the end of a message body is found (RFC 9112 section 6). {@code length} only matters for FIXED. */
record BodyFraming(Kind kind, long length) {
    enum Kind {
        /** No body at all. */
        NONE,
        /** Exactly {@code length} bytes (Content-Length). */
        FIXED,
        /** Transfer-Encoding: chunked, up to the last chunk and trailers. */
        CHUNKED,
        /** Everything up to the server closing the connection (responses only). */
        UNTIL_CLOSE
    }

    static final BodyFraming NONE = new BodyFraming(Kind.NONE, 0);
    static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, 0);
    static final BodyFraming UNTIL_CLOSE = new BodyFraming(Kind.UNTIL_CLOSE, 0);

    static BodyFraming fixed(long length) {
        return length == 0 ? NONE : new BodyFraming(Kind.FIXED, length);
    }
}
