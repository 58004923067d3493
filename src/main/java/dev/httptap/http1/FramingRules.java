package dev.httptap.http1;

import dev.httptap.event.Headers;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;

import java.util.List;
import java.util.Locale;

/**
 * Decides how each message body is framed, following RFC 9112 section 6.3: no body where the method or
 * status rules one out, then Transfer-Encoding (which wins over Content-Length), then Content-Length,
 * then nothing (requests) or read-until-close (responses).
 */
final class FramingRules {
    /** 18 digits cannot overflow a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private FramingRules() {}

    static BodyFraming request(RequestHead request) throws Http1Exception {
        Headers headers = request.headers();
        if (headers.contains("Transfer-Encoding")) {
            if (!isChunkedLast(headers)) {
                throw new Http1Exception("request Transfer-Encoding does not end in chunked");
            }
            return BodyFraming.CHUNKED;
        }
        if (headers.contains("Content-Length")) {
            return BodyFraming.fixed(contentLength(headers));
        }
        return BodyFraming.NONE;
    }

    static BodyFraming response(RequestHead request, ResponseHead response) throws Http1Exception {
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
            return BodyFraming.fixed(contentLength(headers));
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

    /** Repeated values ("5, 5" or two fields) are allowed only when they agree. */
    private static long contentLength(Headers headers) throws Http1Exception {
        long length = -1;
        for (String value : headers.all("Content-Length")) {
            for (String item : value.split(",", -1)) {
                long parsed = parseLength(item.trim());
                if (length >= 0 && parsed != length) {
                    throw new Http1Exception("conflicting Content-Length values");
                }
                length = parsed;
            }
        }
        return length;
    }

    private static long parseLength(String digits) throws Http1Exception {
        if (digits.isEmpty() || digits.length() > MAX_LENGTH_DIGITS) {
            throw new Http1Exception("invalid Content-Length: " + Printable.excerpt(digits));
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new Http1Exception("invalid Content-Length: " + Printable.excerpt(digits));
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
