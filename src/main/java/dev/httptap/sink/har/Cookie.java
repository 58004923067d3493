package dev.httptap.sink.har;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cookie as HAR lists it, parsed from a request's {@code Cookie} header or a response's
 * {@code Set-Cookie}. Attributes the server did not send are null (or false).
 */
record Cookie(String name, String value, String path, String domain, String expires, boolean httpOnly, boolean secure) {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    /** {@code Cookie: a=1; b=2} */
    static List<Cookie> fromCookieHeader(String header) {
        List<Cookie> cookies = new ArrayList<>();
        for (String pair : header.split(";")) {
            Cookie cookie = nameValue(pair);
            if (cookie != null) {
                cookies.add(cookie);
            }
        }
        return cookies;
    }

    /** {@code Set-Cookie: id=7; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT; HttpOnly}, or null if nameless. */
    static Cookie fromSetCookie(String header) {
        String[] parts = header.split(";");
        Cookie cookie = nameValue(parts[0]);
        if (cookie == null) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] attribute = parts[i].split("=", 2);
            String key = attribute[0].strip().toLowerCase(Locale.ROOT);
            String value = attribute.length == 2 ? attribute[1].strip() : "";
            cookie = switch (key) {
                case "path" -> cookie.with(value, cookie.domain, cookie.expires, cookie.httpOnly, cookie.secure);
                case "domain" -> cookie.with(cookie.path, value, cookie.expires, cookie.httpOnly, cookie.secure);
                case "expires" -> cookie.with(cookie.path, cookie.domain, isoDate(value), cookie.httpOnly, cookie.secure);
                case "httponly" -> cookie.with(cookie.path, cookie.domain, cookie.expires, true, cookie.secure);
                case "secure" -> cookie.with(cookie.path, cookie.domain, cookie.expires, cookie.httpOnly, true);
                default -> cookie;
            };
        }
        return cookie;
    }

    private Cookie with(String path, String domain, String expires, boolean httpOnly, boolean secure) {
        return new Cookie(name, value, path, domain, expires, httpOnly, secure);
    }

    private static Cookie nameValue(String text) {
        int equals = text.indexOf('=');
        String name = (equals < 0 ? text : text.substring(0, equals)).strip();
        if (name.isEmpty()) {
            return null;
        }
        String value = equals < 0 ? "" : text.substring(equals + 1).strip();
        return new Cookie(name, value, null, null, null, false, false);
    }

    /** HTTP dates become ISO 8601, which the HAR schema requires; anything else is left out. */
    private static String isoDate(String httpDate) {
        try {
            return ISO.format(ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .withZoneSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
