package dev.httptap.sniff;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.http1.Http1Connection;
import dev.httptap.http2.H2cUpgrade;
import dev.httptap.http2.Http2Connection;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.FlowObserverFactory;
import dev.httptap.stack.FlowId;

import java.net.InetSocketAddress;

/**
 * Chooses how each relayed TCP connection is watched, by the port the child dialled: {@code --http} ports
 * are parsed as HTTP/1 straight away, and every other connection is sniffed from its first bytes (HTTP/1,
 * or HTTP/2 with prior knowledge, h2c). HTTP/1 that switches to h2c by {@code Upgrade} is followed on as HTTP/2.
 * Exchanges found go to the listener. {@link #https} watches the plaintext of intercepted TLS connections.
 */
public final class HttpSniffer implements FlowObserverFactory {
    private final ExchangeListener listener;
    private final SniffOptions options;
    private final ExchangeClock clock;

    public HttpSniffer(ExchangeListener listener, SniffOptions options) {
        this(listener, options, ExchangeClock.SYSTEM);
    }

    public HttpSniffer(ExchangeListener listener, SniffOptions options, ExchangeClock clock) {
        this.listener = listener;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public FlowObserver open(FlowId flow, InetSocketAddress upstream) {
        int port = flow.server().getPort();
        ConnectionInfo connection = new ConnectionInfo(flow, upstream, "http");
        if (options.httpPorts().contains(port)) {
            return http1(connection);
        }
        return sniffing(connection);
    }

    /**
     * Observers of decrypted TLS, with the "https" scheme. HTTP/2 is recognised by its preface, which a
     * client sends exactly when ALPN chose h2.
     */
    public FlowObserverFactory https() {
        return (flow, upstream) -> sniffing(new ConnectionInfo(flow, upstream, "https"));
    }

    private ProtocolSniffer sniffing(ConnectionInfo connection) {
        return new ProtocolSniffer(connection.flow(), () -> http1(connection),
                () -> new Http2Connection(connection, listener, clock));
    }

    /** HTTP/1, and HTTP/2 after an {@code Upgrade: h2c}; other upgrades are relayed unobserved. */
    private Http1Connection http1(ConnectionInfo connection) {
        return new Http1Connection(connection, listener, clock, (exchange, switching) ->
                H2cUpgrade.isAccepted(exchange.request(), switching)
                        ? H2cUpgrade.follow(connection, listener, clock, exchange) : null);
    }
}
