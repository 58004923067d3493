package dev.httptap.tls;

import dev.httptap.log.Log;
import dev.httptap.policy.HostPort;
import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.stack.FlowId;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Holds a plain (not TLS) connection's first client bytes until they say which server its HTTP request is
 * for (its Host field, see {@link HostField}), and asks the egress policy: a denied name gets an HTTP 403
 * and the connection closes; a connection that names no server (not HTTP, the server speaks first, the
 * client hangs up) is decided without a name. Once allowed, the connection goes to the plain handler with
 * the held bytes replayed first, so nothing is lost or reordered. Only when there is a policy.
 */
final class HostGate extends HoldingHandler {
    private final FlowId flow;
    private final FlowPeers peers;
    private final ServerNameCheck check;
    private final Supplier<FlowHandler> plain;

    HostGate(FlowId flow, FlowPeers peers, ServerNameCheck check, Supplier<FlowHandler> plain) {
        super(HostField.MAX_HEAD_BYTES);
        this.flow = flow;
        this.peers = peers;
        this.check = check;
        this.plain = plain;
    }

    /** {@code plain} itself when there is no policy, else a gate in front of it. */
    static FlowHandler before(FlowId flow, FlowPeers peers, ServerNameCheck check, Supplier<FlowHandler> plain) {
        return check.decidesNames() ? new HostGate(flow, peers, check, plain) : plain.get();
    }

    @Override
    void read(ByteBuffer heldSoFar) {
        HostField.Reading reading = HostField.read(heldSoFar);
        if (reading.status() != HostField.Status.INCOMPLETE) {
            decide(Optional.ofNullable(reading.host()));
        }
    }

    /** No server name came (not HTTP/1, or the server speaks first): the connection is decided without one. */
    @Override
    void decideWithout(String reason) {
        decide(Optional.empty());
    }

    private void decide(Optional<String> host) {
        Optional<String> refusal = check.refusal(flow, host, ServerNameCheck.Source.HTTP_HOST);
        if (refusal.isEmpty()) {
            decided = plain.get();
            if (!held.isEmpty()) {
                decided.onClientData(held.take());
            }
            return;
        }
        held.take();
        if (host.isPresent()) {
            Log.verbose("%s: an HTTP request for %s, which the egress policy denies: 403", flow, host.get());
            decided = RefusedConnection.withHttpForbidden(peers, HostPort.join(host.get(), flow.server().getPort()),
                    refusal.get());
        } else {
            Log.verbose("%s: no server name came, and the egress policy allows the address only by name: resetting", flow);
            decided = RefusedConnection.withReset(peers);
        }
    }
}
