package dev.httptap.event;

import dev.httptap.policy.HostPort;
import dev.httptap.wire.Ipv6Address;
import java.util.Optional;

/**
 * A request's URL as its user would have typed it, whatever the client wrote in Host or :authority: the
 * port the connection used when the field leaves it out (wget2 sends {@code Host: name} to port 8443), no
 * port when it is the scheme's default ({@code :authority: name:443}, as node's http2 sends), as curl and
 * browsers print them; an IPv6 literal bracketed and in its RFC 5952 form ({@code [fd77:6874:7470::1]}).
 * Anything else is kept as written.
 */
public final class RequestUrl {
    private RequestUrl() {}

    /**
     * {@code scheme://authority/target} for a request sent on a connection to {@code connectionPort};
     * {@code authority} is as the client gave it (Host, :authority) or the dialled address.
     */
    public static String of(String scheme, String authority, int connectionPort, String target) {
        return scheme + "://" + authority(scheme, authority, connectionPort)
                + (target.startsWith("/") ? target : "/" + target); // "OPTIONS *" still reads as a URL
    }

    /**
     * An absolute URL (an absolute-form target): the port it names is the one meant, so none is added
     * (the connection may go to a proxy); a default one is dropped and an IPv6 literal written canonically.
     */
    public static String absolute(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return url;
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String written = url.substring(authorityStart, authorityEnd);
        int userInfoEnd = written.lastIndexOf('@') + 1;
        String scheme = url.substring(0, schemeEnd);
        return url.substring(0, authorityStart) + written.substring(0, userInfoEnd)
                + authority(scheme, written.substring(userInfoEnd), -1) + url.substring(authorityEnd);
    }

    /** {@code connectionPort} is added when the authority names none and it is not the default; -1 never. */
    static String authority(String scheme, String authority, int connectionPort) {
        Optional<HostPort> split = HostPort.split(authority);
        if (split.isEmpty()) {
            return authority;
        }
        String host = split.get().host();
        if (host.indexOf(':') < 0 && !authority.startsWith("[")) {
            return withPort(scheme, host, split.get().port(), connectionPort); // a name or an IPv4 address
        }
        String shownHost = Ipv6Address.ofLiteral(host).map(address -> "[" + address + "]").orElse(null);
        if (shownHost == null) {
            return authority; // brackets around something else than an IPv6 literal: shown as written
        }
        return withPort(scheme, shownHost, split.get().port(), connectionPort);
    }

    /** {@code shownHost} with the port written ({@code port}, maybe null or empty) or used, unless the default. */
    private static String withPort(String scheme, String shownHost, String port, int connectionPort) {
        int defaultPort = defaultPort(scheme);
        if (port == null || port.isEmpty()) {
            return connectionPort > 0 && connectionPort != defaultPort ? shownHost + ":" + connectionPort : shownHost;
        }
        return port.equals(Integer.toString(defaultPort)) ? shownHost : shownHost + ":" + port;
    }

    /** The port a URL of {@code scheme} means when it names none; -1 for schemes without one here. */
    private static int defaultPort(String scheme) {
        if (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("ws")) {
            return 80;
        }
        return scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss") ? 443 : -1;
    }
}
