package dev.httptap.sink.har;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The fields of a form body, for the HAR's {@code postData.params}, as the original's harlog lists them:
 * {@code application/x-www-form-urlencoded} pairs, percent-decoded; {@code multipart/form-data} parts (RFC
 * 7578), a value for a text part and {@code fileName} and {@code contentType} for a file. Input that does not
 * parse gives no fields, never an error.
 */
final class FormParams {
    /** A field: {@code value} null for a file part, {@code fileName} and {@code contentType} null for text. */
    record Param(String name, String value, String fileName, String contentType) {}

    private FormParams() {}

    /** True for the two form types whose fields are listed. */
    static boolean isForm(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/x-www-form-urlencoded") || type.equals("multipart/form-data");
    }

    /** The fields of {@code body} sent as {@code contentType}; empty for any other type. */
    static List<Param> of(String contentType, byte[] body) {
        String type = mediaType(contentType);
        if (type.equals("application/x-www-form-urlencoded")) {
            List<Param> params = new ArrayList<>();
            for (String[] pair : urlEncoded(new String(body, StandardCharsets.UTF_8))) {
                params.add(new Param(pair[0], pair[1], null, null));
            }
            return params;
        }
        if (type.equals("multipart/form-data")) {
            String boundary = parameter(contentType, "boundary");
            return boundary == null || boundary.isEmpty() ? List.of() : multipart(body, boundary);
        }
        return List.of();
    }

    private static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    /** {@code a=1&b=x%20y}: names and values percent-decoded, '+' as space, as browsers show them. */
    static List<String[]> urlEncoded(String text) {
        List<String[]> pairs = new ArrayList<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            pairs.add(new String[] {percentDecoded(name), percentDecoded(value)});
        }
        return pairs;
    }

    private static String percentDecoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a stray '%': show it as sent
        }
    }

    /** The parts between {@code --boundary} lines, up to the closing {@code --boundary--}; none if it is missing. */
    private static List<Param> multipart(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = body.length >= delimiter.length && startsWith(body, 0, delimiter) ? 0 : indexOf(body, nextDelimiter, 0);
        if (at < 0) {
            return List.of();
        }
        at += at == 0 ? delimiter.length : nextDelimiter.length;
        List<Param> params = new ArrayList<>();
        while (true) {
            if (startsWith(body, at, "--".getBytes(StandardCharsets.ISO_8859_1))) {
                return params; // the closing delimiter
            }
            int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            int headEnd = lineEnd < 0 ? -1 : indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), lineEnd);
            int next = headEnd < 0 ? -1 : indexOf(body, nextDelimiter, headEnd + 2);
            if (headEnd < 0 || next < 0) {
                return List.of();
            }
            String head = lineEnd == headEnd ? "" : new String(body, lineEnd + 2, headEnd - lineEnd - 2, StandardCharsets.UTF_8);
            Param param = part(head, Arrays.copyOfRange(body, headEnd + 4, next));
            if (param == null) {
                return List.of();
            }
            params.add(param);
            at = next + nextDelimiter.length;
        }
    }

    /** One part from its header lines and content, or null when it names no field. */
    private static Param part(String head, byte[] content) {
        String disposition = null;
        String type = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (name.equals("content-disposition")) {
                disposition = line.substring(colon + 1);
            } else if (name.equals("content-type")) {
                type = line.substring(colon + 1).strip();
            }
        }
        String name = disposition == null ? null : parameter(disposition, "name");
        if (name == null) {
            return null;
        }
        String fileName = parameter(disposition, "filename");
        return fileName == null ? new Param(name, new String(content, StandardCharsets.UTF_8), null, null)
                : new Param(name, null, fileName, type == null ? "application/octet-stream" : type);
    }

    /** The value of parameter {@code key} in {@code value; key=x; other="y;z"}, unquoted; null when absent. */
    private static String parameter(String value, String key) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                part.append(value.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        for (String parameter : parts.subList(1, parts.size())) {
            String[] pair = parameter.split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase(key)) {
                return pair[1].strip();
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > bytes.length) {
            return false;
        }
        return Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte[] target, int from) {
        for (int i = Math.max(0, from); i + target.length <= bytes.length; i++) {
            if (startsWith(bytes, i, target)) {
                return i;
            }
        }
        return -1;
    }
}
