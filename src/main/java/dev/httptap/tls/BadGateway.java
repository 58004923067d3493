package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The HTTP response the child gets instead of talking to a server httptap could not verify. */
final class BadGateway {
    private BadGateway() {}

    static ByteBuffer response(String reason) {
        byte[] body = ("httptap: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 502 Bad Gateway\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }
}
