package dev.httptap.http1;

import dev.httptap.event.Headers;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;

import java.util.List;
import java.util.Locale;

/**
 * Decides how each message body is framed, following RFC 9112 section 6.3: no body where the method or
 * status rules one out, then Transfer-Encoding (which wins over Content-Length), then Content-Length,
 * then nothing (requests) or read-until-close (responses). Framing fields that make no sense (a request
 * Transfer-Encoding not ending in chunked, Content-Length values that disagree or are no number) leave the
 * body's end unknown: servers answer such a request with 400 or 501 and close, clients give up on such a
 * response; httptap then counts the rest of that direction as the body and says so, never giving up.
 */
final class FramingRules {
    /** 18 digits cannot overflow a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private FramingRules() {}

    /** Field names, in lower case, that say where a body ends. */
    static boolean isFramingField(String lowerCaseName) {
        return lowerCaseName.equals("content-length") || lowerCaseName.equals("transfer-encoding");
    }

    static BodyFraming request(RequestHead request) {
        Headers headers = request.headers();
        List<String> transferEncodings = headers.all("Transfer-Encoding");
        if (!transferEncodings.isEmpty()) {
            if (!isChunkedLast(transferEncodings)) {
                return BodyFraming.unknown(unknownEnd("Transfer-Encoding", headers));
            }
            return BodyFraming.CHUNKED;
        }
        List<String> contentLengths = headers.all("Content-Length");
        return contentLengths.isEmpty() ? BodyFraming.NONE : contentLength(contentLengths, headers);
    }

    static BodyFraming response(RequestHead request, ResponseHead response) {
        int status = response.status();
        if (request.method().equals("HEAD") || response.isInformational() || status == 204 || status == 304) {
            return BodyFraming.NONE;
        }
        if (isTunnelEstablished(request, response)) {
            return BodyFraming.NONE;
        }
        Headers headers = response.headers();
        List<String> transferEncodings = headers.all("Transfer-Encoding");
        if (!transferEncodings.isEmpty()) {
            return isChunkedLast(transferEncodings) ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
        }
        List<String> contentLengths = headers.all("Content-Length");
        return contentLengths.isEmpty() ? BodyFraming.UNTIL_CLOSE : contentLength(contentLengths, headers);
    }

    /** After a 101, or a 2xx to CONNECT, the connection carries something other than HTTP/1. */
    static boolean switchesProtocols(RequestHead request, ResponseHead response) {
        return response.status() == 101 || isTunnelEstablished(request, response);
    }

    private static boolean isTunnelEstablished(RequestHead request, ResponseHead response) {
        return request.method().equals("CONNECT") && response.status() >= 200 && response.status() < 300;
    }

    private static boolean isChunkedLast(List<String> values) {
        String last = values.get(values.size() - 1);
        int comma = last.lastIndexOf(',');
        return last.substring(comma + 1).trim().toLowerCase(Locale.ROOT).equals("chunked");
    }

    /**
     * Repeated values ("5, 5" or two fields) count as one when they agree (RFC 9110 section 8.6). Items are
     * read in place, without splitting the value: every response with a length comes through here.
     */
    private static BodyFraming contentLength(List<String> values, Headers headers) {
        long length = -1;
        for (String value : values) {
            int itemStart = 0;
            while (itemStart <= value.length()) {
                int comma = value.indexOf(',', itemStart);
                int itemEnd = comma < 0 ? value.length() : comma;
                long parsed = parseLength(value, itemStart, itemEnd);
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    return BodyFraming.unknown(unknownEnd("Content-Length", headers));
                }
                length = parsed;
                itemStart = itemEnd + 1;
            }
        }
        return BodyFraming.fixed(length);
    }

    private static String unknownEnd(String field, Headers headers) {
        return "body end unknown (" + field + ": " + Printable.excerpt(String.join(", ", headers.all(field)))
                + "), the rest of this direction is counted as its body";
    }

    /** The length written in {@code text[start, end)} (around which String.trim's whitespace is ignored), or -1. */
    private static long parseLength(String text, int start, int end) {
        int from = start;
        int to = end;
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from == to || to - from > MAX_LENGTH_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
