package dev.httptap.tls;

import dev.httptap.log.Log;
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
final class HostGate implements FlowHandler {
    private final FlowId flow;
    private final FlowPeers peers;
    private final ServerNameCheck check;
    private final Supplier<FlowHandler> plain;
    private final HeldBytes held = new HeldBytes(HostField.MAX_HEAD_BYTES);
    /** Who handles the connection once decided; null while undecided. */
    private FlowHandler decided;

    HostGate(FlowId flow, FlowPeers peers, ServerNameCheck check, Supplier<FlowHandler> plain) {
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
    public void onClientData(ByteBuffer data) {
        if (decided != null) {
            decided.onClientData(data);
            return;
        }
        if (!held.add(data)) {
            decide(Optional.empty());
            decided.onClientData(data);
            return;
        }
        HostField.Reading reading = HostField.read(held.view());
        if (reading.status() != HostField.Status.INCOMPLETE) {
            decide(Optional.ofNullable(reading.host()));
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        if (decided == null) {
            decide(Optional.empty());
        }
        decided.onServerData(data);
    }

    @Override
    public void onClientEnd() {
        if (decided == null) {
            decide(Optional.empty());
        }
        decided.onClientEnd();
    }

    @Override
    public void onServerEnd() {
        if (decided == null) {
            decide(Optional.empty());
        }
        decided.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        if (decided != null) {
            decided.onClose(reset);
        }
    }

    private void decide(Optional<String> host) {
        if (check.admits(flow, host, ServerNameCheck.Source.HTTP_HOST)) {
            decided = plain.get();
            if (!held.isEmpty()) {
                decided.onClientData(held.take());
            }
            return;
        }
        held.take();
        if (host.isPresent()) {
            Log.verbose("%s: an HTTP request for %s, which the egress policy denies: 403", flow, host.get());
            decided = RefusedConnection.withHttpForbidden(peers, host.get() + ":" + flow.server().getPort());
        } else {
            Log.verbose("%s: no server name came, and the egress policy allows the address only by name: resetting", flow);
            decided = RefusedConnection.withReset(peers);
        }
    }
}
