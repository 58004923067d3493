package dev.httptap.http2;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.Exchange;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.event.Headers;
import dev.httptap.event.RequestHead;
import dev.httptap.event.ResponseHead;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * HTTP/2 begun in clear by an HTTP/1.1 request with {@code Upgrade: h2c} (RFC 7540 section 3.2; RFC 9113
 * dropped it, curl {@code --http2} still asks). After the server's 101 the request that asked is stream 1,
 * answered in HTTP/2 behind the server's SETTINGS, and the client's next bytes are the connection preface.
 */
public final class H2cUpgrade {
    private static final String H2C = "h2c";

    private H2cUpgrade() {}

    /** Whether {@code response} switched the connection to h2c at {@code request}'s asking. */
    public static boolean isAccepted(RequestHead request, ResponseHead response) {
        return response.status() == 101 && names(request.headers()) && names(response.headers());
    }

    /** The observer of the connection after the 101, following {@code upgrade} on as stream 1. */
    public static Http2Connection follow(ConnectionInfo connection, ExchangeListener listener, ExchangeClock clock,
            Exchange upgrade) {
        Http2Connection http2 = new Http2Connection(connection, listener, clock);
        http2.adoptUpgradeRequest(upgrade, clientSettings(upgrade.request().headers()));
        return http2;
    }

    private static boolean names(Headers headers) {
        for (String value : headers.all("Upgrade")) {
            for (String protocol : value.split(",")) {
                if (protocol.trim().equalsIgnoreCase(H2C)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The client's SETTINGS, sent base64url-encoded in the request's HTTP2-Settings field; none when unreadable. */
    public static ByteBuffer clientSettings(Headers headers) {
        try {
            return ByteBuffer.wrap(Base64.getUrlDecoder().decode(headers.first("HTTP2-Settings").orElse("").trim()));
        } catch (IllegalArgumentException e) {
            return ByteBuffer.allocate(0);
        }
    }
}
