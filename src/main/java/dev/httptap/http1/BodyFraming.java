package dev.httptap.http1;

/**
 * How the end of a message body is found (RFC 9112 section 6). {@code length} only matters for FIXED;
 * {@code guess} says why the framing is a guess (the head's framing fields made no sense), else null.
 */
record BodyFraming(Kind kind, long length, String guess) {
    enum Kind {
        /** No body at all. */
        NONE,
        /** Exactly {@code length} bytes (Content-Length). */
        FIXED,
        /** Transfer-Encoding: chunked, up to the last chunk and trailers. */
        CHUNKED,
        /** Everything up to the sender closing (or, for a request, until its response ends). */
        UNTIL_CLOSE
    }

    static final BodyFraming NONE = new BodyFraming(Kind.NONE, 0, null);
    static final BodyFraming CHUNKED = new BodyFraming(Kind.CHUNKED, 0, null);
    static final BodyFraming UNTIL_CLOSE = new BodyFraming(Kind.UNTIL_CLOSE, 0, null);

    static BodyFraming fixed(long length) {
        return length == 0 ? NONE : new BodyFraming(Kind.FIXED, length, null);
    }

    /** The body's end cannot be known: everything the sender sends from here is counted as this body. */
    static BodyFraming unknown(String why) {
        return new BodyFraming(Kind.UNTIL_CLOSE, 0, why);
    }
}
