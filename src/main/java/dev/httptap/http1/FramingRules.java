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
        if (headers.contains("Transfer-Encoding")) {
            if (!isChunkedLast(headers)) {
                return BodyFraming.unknown(unknownEnd("Transfer-Encoding", headers));
            }
            return BodyFraming.CHUNKED;
        }
        if (headers.contains("Content-Length")) {
            return contentLength(headers);
        }
        return BodyFraming.NONE;
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
        if (headers.contains("Transfer-Encoding")) {
            return isChunkedLast(headers) ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
        }
        if (headers.contains("Content-Length")) {
            return contentLength(headers);
        }
        return BodyFraming.UNTIL_CLOSE;
    }

    /** After a 101, or a 2xx to CONNECT, the connection carries something other than HTTP/1. */
    static boolean switchesProtocols(RequestHead request, ResponseHead response) {
        return response.status() == 101 || isTunnelEstablished(request, response);
    }

    private static boolean isTunnelEstablished(RequestHead request, ResponseHead response) {
        return request.method().equals("CONNECT") && response.status() >= 200 && response.status() < 300;
    }

    private static boolean isChunkedLast(Headers headers) {
        List<String> values = headers.all("Transfer-Encoding");
        String last = values.get(values.size() - 1);
        int comma = last.lastIndexOf(',');
        return last.substring(comma + 1).trim().toLowerCase(Locale.ROOT).equals("chunked");
    }

    /** Repeated values ("5, 5" or two fields) count as one when they agree (RFC 9110 section 8.6). */
    private static BodyFraming contentLength(Headers headers) {
        long length = -1;
        for (String value : headers.all("Content-Length")) {
            for (String item : value.split(",", -1)) {
                long parsed = parseLength(item.trim());
                if (parsed < 0 || (length >= 0 && parsed != length)) {
                    return BodyFraming.unknown(unknownEnd("Content-Length", headers));
                }
                length = parsed;
            }
        }
        return BodyFraming.fixed(length);
    }

    private static String unknownEnd(String field, Headers headers) {
        return "body end unknown (" + field + ": " + Printable.excerpt(String.join(", ", headers.all(field)))
                + "), the rest of this direction is counted as its body";
    }

    /** The length, or -1 when {@code digits} is no length. */
    private static long parseLength(String digits) {
        if (digits.isEmpty() || digits.length() > MAX_LENGTH_DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
