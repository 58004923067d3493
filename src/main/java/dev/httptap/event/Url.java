package dev.httptap.event;

import java.util.Locale;

/**
 * The parts of an absolute URL that sinks need: the authority ("host:port" as written), the host alone
 * (lower case, IPv6 without brackets) and the raw query (without '?', empty when there is none).
 */
public record Url(String authority, String host, String query) {
    public static Url parse(String url) {
        int schemeEnd = url.indexOf("://");
        int authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = url.substring(authorityStart, authorityEnd);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        return new Url(authority, hostOf(authority), queryOf(url, authorityEnd));
    }

    private static String hostOf(String authority) {
        String host;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? authority.substring(1) : authority.substring(1, close);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static String queryOf(String url, int from) {
        int question = url.indexOf('?', from);
        if (question < 0) {
            return "";
        }
        int fragment = url.indexOf('#', question);
        return url.substring(question + 1, fragment < 0 ? url.length() : fragment);
    }
}
