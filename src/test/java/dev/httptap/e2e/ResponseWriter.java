package dev.httptap.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes HTTP/1.1 responses with explicit framing, so tests control exactly what goes on the wire. */
final class ResponseWriter {
    private final OutputStream out;
    private final boolean keepAlive;

    ResponseWriter(OutputStream out, boolean keepAlive) {
        this.out = out;
        this.keepAlive = keepAlive;
    }

    /** The interim response a client waits for after sending {@code Expect: 100-continue}. */
    void continueInterim() throws IOException {
        ascii("HTTP/1.1 100 Continue\r\n\r\n");
        out.flush();
    }

    /** A whole response with a Content-Length body. */
    void fixed(int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        startFixed(status, bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** A whole response with a Content-Length body and extra header lines ("Name: value"). */
    void fixed(int status, byte[] body, String... extraHeaders) throws IOException {
        startFixed(status, body.length, extraHeaders);
        out.write(body);
        out.flush();
    }

    /** The head of a Content-Length response, with extra header lines; the caller writes exactly {@code length} bytes. */
    OutputStream startFixed(int status, long length, String... extraHeaders) throws IOException {
        head(status, "Content-Length: " + length + "\r\n" + String.join("\r\n", extraHeaders));
        return out;
    }

    /** The head of a chunked response, with extra header lines ("Name: value"). */
    void startChunked(int status, String... extraHeaders) throws IOException {
        head(status, "Transfer-Encoding: chunked\r\n" + String.join("\r\n", extraHeaders));
    }

    void chunk(byte[] data, int offset, int length) throws IOException {
        if (length == 0) {
            return; // a zero-size chunk would end the body
        }
        ascii(Integer.toHexString(length) + "\r\n");
        out.write(data, offset, length);
        ascii("\r\n");
        out.flush();
    }

    void endChunked() throws IOException {
        ascii("0\r\n\r\n");
        out.flush();
    }

    void flush() throws IOException {
        out.flush();
    }

    private void head(int status, String framing) throws IOException {
        ascii("HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + (framing.contains("Content-Type:") ? "" : "Content-Type: application/octet-stream\r\n")
                + framing.strip() + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n");
    }

    private void ascii(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 302: return "Found";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            default: return "Status";
        }
    }
}
