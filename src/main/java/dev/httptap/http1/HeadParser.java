package dev.httptap.http1;

import dev.httptap.event.Header;
import dev.httptap.event.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a complete head into its start line and header fields (RFC 9112 section 5). Names keep their
 * spelling and order; values lose surrounding spaces; obsolete line folding is joined with one space.
 * Bytes are decoded as ISO-8859-1 so that every byte survives as one char.
 */
final class HeadParser {
    static final int MAX_HEADER_COUNT = 256;

    private HeadParser() {}

    static RawHead parse(byte[] bytes, int length) throws Http1Exception {
        List<String> lines = splitLines(bytes, length);
        List<Header> fields = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                unfold(fields, line);
            } else {
                fields.add(field(line));
            }
            if (fields.size() > MAX_HEADER_COUNT) {
                throw new Http1Exception("more than " + MAX_HEADER_COUNT + " header fields");
            }
        }
        return new RawHead(lines.get(0), Headers.of(fields));
    }

    /** Lines without their CR LF; the head ends just before its blank line, so none is empty but by folding. */
    private static List<String> splitLines(byte[] bytes, int length) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || bytes[i] == '\n') {
                int end = i;
                while (end > start && bytes[end - 1] == '\r') {
                    end--;
                }
                if (end > start) {
                    lines.add(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static void unfold(List<Header> fields, String continuation) throws Http1Exception {
        if (fields.isEmpty()) {
            throw new Http1Exception("folded line before any header field");
        }
        Header last = fields.remove(fields.size() - 1);
        String more = trim(continuation);
        fields.add(new Header(last.name(), more.isEmpty() ? last.value() : last.value() + " " + more));
    }

    private static Header field(String line) throws Http1Exception {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new Http1Exception("header line without a name: " + Printable.excerpt(line));
        }
        String name = line.substring(0, colon);
        if (!Tokens.isToken(name)) {
            throw new Http1Exception("invalid header name: " + Printable.excerpt(name));
        }
        return new Header(name, trim(line.substring(colon + 1)));
    }

    /** Strips optional whitespace (SP and HTAB) from both ends. */
    private static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
