package dev.httptap.sniff;

import dev.httptap.event.ConnectionInfo;
import dev.httptap.event.ExchangeClock;
import dev.httptap.event.ExchangeListener;
import dev.httptap.http1.Http1Connection;
import dev.httptap.relay.FlowObserver;
import dev.httptap.relay.FlowObserverFactory;
import dev.httptap.stack.FlowId;

import java.net.InetSocketAddress;

/**
 * Chooses how each relayed TCP connection is watched, by the port the child dialled: {@code --http} ports
 * are parsed as HTTP/1 straight away, and every other connection is sniffed from its first bytes.
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
            return new Http1Connection(connection, listener, clock);
        }
        return new ProtocolSniffer(flow, () -> new Http1Connection(connection, listener, clock));
    }

    /** Observers of decrypted TLS: HTTP/1 with the "https" scheme (HTTP/2 is not followed yet). */
    public FlowObserverFactory https() {
        return (flow, upstream) -> new ProtocolSniffer(flow,
                () -> new Http1Connection(new ConnectionInfo(flow, upstream, "https"), listener, clock));
    }
}
