package dev.httptap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The request line and headers of one HTTP/1.x request, as the fixture server read them. */
record RequestHead(String method, String target, String version, Map<String, String> headers) {
    private static final int MAX_LINE = 16 * 1024;

    /** Reads one request head; null when the client closed the connection between requests. */
    static RequestHead read(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("malformed request line: " + requestLine);
        }
        Map<String, String> headers = new HashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header: " + line);
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new RequestHead(parts[0], parts[1], parts[2], Map.copyOf(headers));
    }

    /** The target without its query string. */
    String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean hasToken(String name, String token) {
        String value = header(name);
        return value != null && value.toLowerCase(Locale.ROOT).contains(token);
    }

    /** HTTP/1.1 keeps the connection unless asked not to; HTTP/1.0 only when asked to. */
    boolean keepAlive() {
        if (hasToken("connection", "close")) {
            return false;
        }
        return "HTTP/1.1".equals(version) || hasToken("connection", "keep-alive");
    }

    /** A CRLF- or LF-terminated line without its terminator; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
