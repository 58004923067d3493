package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The 502 in HTTP/1.1: sent whole as soon as the child's request starts, then the connection closes. */
final class Http1BadGateway implements BadGateway {
    private final byte[] body;
    private boolean answered;

    Http1BadGateway(byte[] body) {
        this.body = body.clone();
    }

    @Override
    public ByteBuffer answer(ByteBuffer fromClient) {
        fromClient.position(fromClient.limit());
        if (answered) {
            return ByteBuffer.allocate(0);
        }
        answered = true;
        String head = "HTTP/1.1 502 Bad Gateway\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
    }

    @Override
    public boolean isFinished() {
        return answered;
    }
}
