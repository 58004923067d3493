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
 * Chooses how each relayed TCP connection is watched, by the port the child dialled: {@code --https}
 * ports are not watched yet, {@code --http} ports are parsed as HTTP/1 straight away, and every other
 * connection is sniffed from its first bytes. Exchanges found go to the listener.
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
        if (options.httpsPorts().contains(port)) {
            return FlowObserver.NONE;
        }
        ConnectionInfo connection = new ConnectionInfo(flow, upstream, "http");
        if (options.httpPorts().contains(port)) {
            return new Http1Connection(connection, listener, clock);
        }
        return new ProtocolSniffer(flow, () -> new Http1Connection(connection, listener, clock));
    }
}
