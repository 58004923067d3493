package dev.httptap.relay;

import dev.httptap.dns.DnsFormatException;
import dev.httptap.dns.DnsMessage;
import dev.httptap.dns.LocalZone;
import dev.httptap.log.Log;
import dev.httptap.stack.Clock;
import dev.httptap.stack.FlowId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's DNS service over UDP. The host alias is answered here; every other query goes unchanged to
 * the host's first resolver, then to the next each time one stays silent for the server timeout, and the
 * first answer comes back to the child unchanged (same ID, same rcode, every record). Each new query and
 * its outcome are reported to a {@link DnsObserver}. Loop thread only.
 */
final class DnsRelay {
    /** Bound on queries waiting for an answer, across all flows. */
    static final int MAX_PENDING_QUERIES = 1024;

    /** A forwarded query waiting for its answer. */
    private static final class PendingQuery {
        final FlowId flow;
        final DnsMessage question;
        final byte[] bytes;
        final ExpiryList.Entry<PendingQuery> retry = new ExpiryList.Entry<>(this);
        int server;

        PendingQuery(FlowId flow, DnsMessage question, byte[] bytes) {
            this.flow = flow;
            this.question = question;
            this.bytes = bytes;
        }
    }

    private final Selector selector;
    private final Clock clock;
    private final UdpSender child;
    private final ByteBuffer scratch;
    private final LocalZone zone;
    private final List<InetSocketAddress> servers;
    private final FlowTable<DatagramFlow> flows;
    private final ExpiryList<PendingQuery> retries;
    private final Map<FlowId, List<PendingQuery>> pending = new HashMap<>();
    private final DatagramFlow.Receiver answers = this::onAnswer;
    private final DnsObserver observer;
    private final EgressGate egress;

    DnsRelay(Selector selector, Clock clock, UdpSender child, ByteBuffer scratch, LocalZone zone,
            List<InetSocketAddress> servers, int maxFlows, long idleNanos, long serverTimeoutNanos,
            DnsObserver observer, EgressGate egress) {
        this.selector = selector;
        this.egress = egress;
        this.clock = clock;
        this.child = child;
        this.scratch = scratch;
        this.zone = zone;
        this.servers = List.copyOf(servers);
        this.flows = new FlowTable<>(maxFlows, idleNanos);
        this.retries = new ExpiryList<>(serverTimeoutNanos, this::nextServer);
        this.observer = observer;
    }

    /** A datagram from the child to the gateway's port 53. */
    void query(FlowId id, ByteBuffer payload) {
        DnsMessage query;
        try {
            query = DnsMessage.parse(payload);
        } catch (DnsFormatException e) {
            Log.verbose("%s: dropping a malformed DNS query: %s", id, e.getMessage());
            return;
        }
        if (query.isResponse()) {
            Log.verbose("%s: dropping a DNS response sent as a query", id);
            return;
        }
        boolean denied = query.questions().size() == 1 && egress.deniesLookup(query.questions().get(0).name());
        if (denied || zone.owns(query)) {
            ByteBuffer answer = denied ? DnsMessage.nxdomain(query) : zone.answer(query);
            report(() -> observer.onQuery(id, payload.asReadOnlyBuffer()));
            report(() -> observer.onAnswer(id, answer.asReadOnlyBuffer()));
            child.sendUdp(id, answer);
            return;
        }
        forward(id, query, payload);
    }

    long expire(long now) {
        return Math.min(retries.expire(now), flows.expire(now));
    }

    void closeAll() {
        retries.drain(query -> {});
        pending.clear();
        flows.closeAll();
    }

    int pendingCount() {
        return retries.size();
    }

    private void forward(FlowId id, DnsMessage query, ByteBuffer payload) {
        long now = clock.nanoTime();
        DatagramFlow flow = flows.get(id);
        if (flow == null) {
            try {
                flow = DatagramFlow.open(id, null, selector, scratch, answers);
            } catch (IOException e) {
                Log.verbose("%s: cannot open a socket for DNS: %s", id, e.getMessage());
                return;
            }
            flows.add(flow, now);
        } else {
            flows.touch(flow, now);
        }
        PendingQuery waiting = find(id, query);
        if (waiting != null) {
            // The child's resolver retransmitted: ask the same server again.
            flow.send(ByteBuffer.wrap(waiting.bytes), servers.get(waiting.server));
            return;
        }
        if (retries.size() >= MAX_PENDING_QUERIES) {
            Log.verbose("%s: too many DNS queries waiting, dropping one", id);
            return;
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        report(() -> observer.onQuery(id, ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
        PendingQuery added = new PendingQuery(id, query, bytes);
        pending.computeIfAbsent(id, unused -> new ArrayList<>(2)).add(added);
        retries.touch(added.retry, now);
        flow.send(ByteBuffer.wrap(bytes), servers.get(0));
    }

    private void onAnswer(DatagramFlow flow, SocketAddress from, ByteBuffer payload) {
        if (!servers.contains(from)) {
            Log.verbose("%s: ignoring a datagram from %s, not a configured DNS server", flow.id(), from);
            return;
        }
        DnsMessage answer;
        try {
            answer = DnsMessage.parse(payload);
        } catch (DnsFormatException e) {
            Log.verbose("%s: ignoring a malformed DNS answer from %s: %s", flow.id(), from, e.getMessage());
            return;
        }
        PendingQuery query = find(flow.id(), answer);
        if (query == null) {
            Log.verbose("%s: ignoring a late or unexpected DNS answer from %s", flow.id(), from);
            return;
        }
        forget(query);
        flows.touch(flow, clock.nanoTime());
        report(() -> observer.onAnswer(flow.id(), payload.asReadOnlyBuffer()));
        child.sendUdp(flow.id(), payload);
    }

    /** The server timeout passed: ask the next server, or give up (the child's resolver will time out). */
    private void nextServer(PendingQuery query) {
        query.server++;
        DatagramFlow flow = flows.get(query.flow);
        if (query.server >= servers.size() || flow == null) {
            Log.verbose("%s: no DNS server answered %s", query.flow, query.question.questions());
            forget(query);
            report(() -> observer.onNoAnswer(query.flow, ByteBuffer.wrap(query.bytes).asReadOnlyBuffer()));
            return;
        }
        retries.touch(query.retry, clock.nanoTime());
        flow.send(ByteBuffer.wrap(query.bytes), servers.get(query.server));
    }

    /** An observer that throws must not stop the relay (or the child's DNS). */
    private static void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            Log.error("DNS observer failed: %s", e);
        }
    }

    private PendingQuery find(FlowId id, DnsMessage message) {
        List<PendingQuery> queries = pending.get(id);
        if (queries != null) {
            for (PendingQuery query : queries) {
                if (query.question.id() == message.id() && query.question.sameQuestions(message)) {
                    return query;
                }
            }
        }
        return null;
    }

    private void forget(PendingQuery query) {
        retries.remove(query.retry);
        List<PendingQuery> queries = pending.get(query.flow);
        if (queries != null) {
            queries.remove(query);
            if (queries.isEmpty()) {
                pending.remove(query.flow);
            }
        }
    }
}
