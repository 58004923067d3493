package dev.httptap.http1;

/** The bytes are not HTTP/1 this parser can follow; the message says why, for one verbose log line. */
final class Http1Exception extends Exception {
    Http1Exception(String message) {
        super(message, null, false, false);
    }
}
