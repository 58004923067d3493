package dev.httptap.http1;

import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;

/** Interprets request lines and status lines (RFC 9112 sections 3 and 4). Only HTTP/1.x is accepted. */
final class StartLines {
    private StartLines() {}

    /** The h2c prior-knowledge preface's first line: HTTP/2, never an HTTP/1 request. */
    private static final String H2_PREFACE_LINE = "PRI * HTTP/2.0";

    /**
     * {@code method SP request-target SP HTTP-version}, read as servers read it (RFC 9112 section 3): words
     * split on runs of whitespace (SP, HTAB, VT, FF, bare CR), whitespace around the line ignored, the
     * method any token in any case, the version any {@code HTTP/d.d} (servers answer an unsupported one with
     * 505). A target with whitespace in it (which servers answer with 400) is kept whole, as sent between
     * the method and the version.
     */
    static RequestHead request(RawHead head) throws Http1Exception {
        String line = head.startLine();
        String trimmed = trimWhitespace(line);
        int methodEnd = nextWhitespace(trimmed, 0);
        int versionStart = lastWhitespace(trimmed) + 1;
        if (methodEnd >= versionStart || trimmed.equals(H2_PREFACE_LINE)) {
            throw new Http1Exception("not an HTTP/1 request line: " + Printable.excerpt(line));
        }
        String method = trimmed.substring(0, methodEnd);
        String target = trimWhitespace(trimmed.substring(methodEnd, versionStart));
        String version = trimmed.substring(versionStart);
        if (!Tokens.isToken(method) || target.isEmpty() || !isHttpVersion(version)) {
            throw new Http1Exception("not an HTTP/1 request line: " + Printable.excerpt(line));
        }
        return new RequestHead(method, target, version, head.headers());
    }

    /** Whether {@code line} has the shape of a request line, even one {@link #request} cannot read. */
    static boolean looksLikeRequest(String line) {
        String trimmed = trimWhitespace(line);
        int methodEnd = nextWhitespace(trimmed, 0);
        if (methodEnd == trimmed.length() || !Tokens.isToken(trimmed.substring(0, methodEnd))) {
            return false;
        }
        String target = trimWhitespace(trimmed.substring(methodEnd));
        String last = trimmed.substring(lastWhitespace(trimmed) + 1);
        return target.startsWith("/") || target.startsWith("*") || target.regionMatches(true, 0, "http", 0, 4)
                || last.regionMatches(true, 0, "HTTP/", 0, 5);
    }

    /** {@code HTTP-version SP 3DIGIT SP [reason]}; a missing SP before an empty reason is tolerated. */
    static ResponseHead response(RawHead head) throws Http1Exception {
        String line = head.startLine();
        int firstSpace = line.indexOf(' ');
        String version = firstSpace < 0 ? line : line.substring(0, firstSpace);
        int code = firstSpace + 1; // read in place: every response passes here
        int restLength = firstSpace < 0 ? 0 : line.length() - code;
        if (!isHttp1(version) || restLength < 3 || !isDigits(line, code, code + 3)
                || (restLength > 3 && line.charAt(code + 3) != ' ')) {
            throw new Http1Exception("not an HTTP/1 status line: " + Printable.excerpt(line));
        }
        int status = (line.charAt(code) - '0') * 100 + (line.charAt(code + 1) - '0') * 10 + (line.charAt(code + 2) - '0');
        if (status < 100) {
            throw new Http1Exception("status code below 100: " + Printable.excerpt(line));
        }
        String reason = restLength > 3 ? line.substring(code + 4) : "";
        return new ResponseHead(status, reason, version, head.headers());
    }

    private static boolean isHttpVersion(String version) {
        return version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
                && version.charAt(6) == '.' && Character.isDigit(version.charAt(7));
    }

    /** SP, HTAB, VT, FF and CR: what servers take as a separator in a request line. */
    private static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static String trimWhitespace(String text) {
        return Tokens.strip(text, StartLines::isWhitespace);
    }

    private static int nextWhitespace(String text, int from) {
        int i = from;
        while (i < text.length() && !isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index of the last whitespace char, -1 when there is none. */
    private static int lastWhitespace(String text) {
        int i = text.length() - 1;
        while (i >= 0 && !isWhitespace(text.charAt(i))) {
            i--;
        }
        return i;
    }

    private static boolean isHttp1(String version) {
        return version.length() == 8 && version.startsWith("HTTP/1.") && Character.isDigit(version.charAt(7));
    }

    /** Whether {@code text[from, to)} is ASCII digits only. */
    private static boolean isDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
