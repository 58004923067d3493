package dev.httptap.http2;

/** The bytes of a connection stopped making sense as HTTP/2 (a malformed frame, a broken header block). */
final class Http2Exception extends Exception {
    Http2Exception(String message) {
        super(message);
    }
}
