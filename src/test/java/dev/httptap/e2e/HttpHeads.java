package dev.httptap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What the scripted servers need of HTTP/1: the head of the message they are sent. */
final class HttpHeads {
    private HttpHeads() {}

    /** The head up to its blank line, CRLF or bare LF. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int previous = -1;
        int beforePrevious = -1;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            beforePrevious = previous;
            previous = b;
        }
        throw new IOException("the connection ended inside a head");
    }
}
