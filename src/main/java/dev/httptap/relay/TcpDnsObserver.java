package dev.httptap.relay;

import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;

/**
 * Watches a DNS-over-TCP connection to the gateway (which the relay dials to the host's resolver) and
 * reports its messages to the same {@link DnsObserver} as the UDP ones: the child's as queries, the
 * resolver's as answers. The bytes pass unchanged; garbage is the observer's to ignore.
 */
final class TcpDnsObserver implements FlowObserver {
    private final DnsMessageFraming queries;
    private final DnsMessageFraming answers;

    TcpDnsObserver(FlowId flow, DnsObserver observer) {
        this.queries = new DnsMessageFraming(query -> observer.onQuery(flow, query));
        this.answers = new DnsMessageFraming(answer -> observer.onAnswer(flow, answer));
    }

    @Override
    public void onClientData(ByteBuffer data) {
        queries.read(data);
    }

    @Override
    public void onServerData(ByteBuffer data) {
        answers.read(data);
    }
}
