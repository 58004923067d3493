package dev.httptap.event;

/** A request line and its header fields, as sent. {@code version} is e.g. "HTTP/1.1" (later also "HTTP/2"). */
public record RequestHead(String method, String target, String version, Headers headers) {
}
