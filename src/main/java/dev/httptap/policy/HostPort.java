package dev.httptap.policy;

import java.util.Optional;

/**
 * A host and port as URLs and users write them together: {@code name}, {@code name:port}, {@code [v6]},
 * {@code [v6]:port}, or an IPv6 literal without brackets (which then has no port). {@code host} is
 * without brackets; {@code port} is the text after the colon (maybe empty), null when none was written.
 */
public record HostPort(String host, String port) {
    /** Empty when a '[' is not closed, or its ']' is followed by anything but ":port". */
    public static Optional<HostPort> split(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                return Optional.empty();
            }
            return Optional.of(new HostPort(text.substring(1, close),
                    close + 1 < text.length() ? text.substring(close + 2) : null));
        }
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            return Optional.of(new HostPort(text, null)); // a name, or an IPv6 literal without brackets
        }
        return Optional.of(new HostPort(text.substring(0, colon), text.substring(colon + 1)));
    }

    /** {@code host:port}, an IPv6 literal in brackets ({@code [fd77::1]:8080}), as {@link #split} reads it back. */
    public static String join(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
