package dev.httptap.event;

/** A status line and its header fields, as sent. {@code reason} is empty when the server sent none. */
public record ResponseHead(int status, String reason, String version, Headers headers) {
    /** 1xx: an interim response (100 Continue, 103 Early Hints) or 101 Switching Protocols. */
    public boolean isInformational() {
        return status >= 100 && status < 200;
    }
}
