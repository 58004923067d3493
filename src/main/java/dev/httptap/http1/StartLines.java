package dev.httptap.http1;

import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import java.util.regex.Pattern;

/** Interprets request lines and status lines (RFC 9112 sections 3 and 4). Only HTTP/1.x is accepted. */
final class StartLines {
    private StartLines() {}

    /** Whitespace a server takes between the parts of a request line (RFC 9112 section 3). */
    private static final Pattern REQUEST_LINE_SPACE = Pattern.compile("[ \t\u000B\f\r]+");

    /**
     * {@code method SP request-target SP HTTP-version}, read as servers read it: the parts split on runs of
     * whitespace (spaces, tabs), whitespace around the line ignored, any token as the method.
     */
    static RequestHead request(RawHead head) throws Http1Exception {
        String line = head.startLine();
        String[] parts = REQUEST_LINE_SPACE.split(line.strip(), -1);
        if (parts.length != 3 || !Tokens.isToken(parts[0]) || !isHttp1(parts[2])) {
            throw new Http1Exception("not an HTTP/1 request line: " + Printable.excerpt(line));
        }
        return new RequestHead(parts[0], parts[1], parts[2], head.headers());
    }

    /** {@code HTTP-version SP 3DIGIT SP [reason]}; a missing SP before an empty reason is tolerated. */
    static ResponseHead response(RawHead head) throws Http1Exception {
        String line = head.startLine();
        int firstSpace = line.indexOf(' ');
        String version = firstSpace < 0 ? line : line.substring(0, firstSpace);
        String rest = firstSpace < 0 ? "" : line.substring(firstSpace + 1);
        if (!isHttp1(version) || rest.length() < 3 || !isDigits(rest.substring(0, 3))
                || (rest.length() > 3 && rest.charAt(3) != ' ')) {
            throw new Http1Exception("not an HTTP/1 status line: " + Printable.excerpt(line));
        }
        int status = Integer.parseInt(rest.substring(0, 3));
        if (status < 100) {
            throw new Http1Exception("status code below 100: " + Printable.excerpt(line));
        }
        String reason = rest.length() > 3 ? rest.substring(4) : "";
        return new ResponseHead(status, reason, version, head.headers());
    }

    private static boolean isHttp1(String version) {
        return version.length() == 8 && version.startsWith("HTTP/1.") && Character.isDigit(version.charAt(7));
    }

    private static boolean isDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
