package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the child hears instead of talking to a server httptap could not verify: a 502 whose body says why,
 * in the protocol agreed with the child. Sans-IO: it reads the child's plaintext and returns what to send.
 */
interface BadGateway {
    /** Reads what the child sent; returns the bytes to send it, perhaps none. */
    ByteBuffer answer(ByteBuffer fromClient);

    /** Everything is said: the connection closes once the last answer is sent. */
    boolean isFinished();

    /** The 502 for a child that agreed {@code protocol} in ALPN (null or empty when none). */
    static BadGateway speaking(String protocol, String reason) {
        byte[] body = ("httptap: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        return InterceptionEngines.H2.equals(protocol) ? new Http2BadGateway(body) : new Http1BadGateway(body);
    }
}
