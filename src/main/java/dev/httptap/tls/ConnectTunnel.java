package dev.httptap.tls;

import dev.httptap.http1.TunnelStart;
import dev.httptap.policy.HostPort;
import dev.httptap.relay.FlowHandler;
import dev.httptap.stack.FlowId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;

/**
 * Watches a connection, plain or an intercepted TLS one's plaintext, for an HTTP proxy's tunnel: when the
 * child asks {@code CONNECT host:port} and the proxy answers 2xx, what follows is the child's own connection
 * to that server, carried through the proxy. From there on the bytes go to a handler made for the tunnel's
 * flow (a {@link TlsGate}: the TLS inside is intercepted as if the child had connected to the server itself),
 * and the handler of the connection, which saw the exchanges before, sees nothing more. Without this, a
 * command behind HTTPS_PROXY showed one CONNECT line per connection and none of its requests.
 *
 * <p>{@link TunnelStart} follows the conversation: requests to the proxy before the CONNECT (a plain
 * {@code GET http://...} on the same kept-alive connection) and refusals the child asks again after (a 407
 * asking for credentials, its body of any framing but to the close). The child's bytes after a CONNECT are
 * held until the proxy's answer says whose they are (at most {@value #MAX_HELD_BYTES}: a ClientHello, maybe
 * early data). A connection that is not such a conversation (its first request in origin form, as to any
 * server) or stops being one, or a CONNECT without a usable target, is left as it is, relayed and shown as
 * before, the held bytes first.
 */
final class ConnectTunnel implements FlowHandler {
    /** Child bytes held while the proxy has not answered its CONNECT: a ClientHello, maybe early data. */
    static final int MAX_HELD_BYTES = 64 * 1024;

    /** WATCHING: requests and answers read through; AWAITING_ANSWER: a CONNECT's answer, the child's bytes held. */
    private enum State { WATCHING, AWAITING_ANSWER, TUNNEL, PLAIN }

    private final FlowId flow;
    private final FlowHandler plain;
    private final Function<FlowId, FlowHandler> tunnels;
    private final TunnelStart conversation = new TunnelStart();
    private final HeldBytes heldClientBytes = new HeldBytes(MAX_HELD_BYTES);
    private State state = State.WATCHING;
    private FlowId target;
    private FlowHandler tunnel;
    private boolean clientEndHeld;

    /**
     * @param plain the handler of the connection as it is (to the proxy)
     * @param tunnels makes the handler of a tunnel, given the flow the child has through it: its server is the
     *     CONNECT target's port at the target's address when the target is an address, else at the proxy's
     */
    ConnectTunnel(FlowId flow, FlowHandler plain, Function<FlowId, FlowHandler> tunnels) {
        this.flow = flow;
        this.plain = plain;
        this.tunnels = tunnels;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        switch (state) {
            case TUNNEL -> tunnel.onClientData(data);
            case PLAIN -> plain.onClientData(data);
            case AWAITING_ANSWER -> hold(data);
            case WATCHING -> readRequests(data);
        }
    }

    @Override
    public void onServerData(ByteBuffer data) {
        switch (state) {
            case TUNNEL -> tunnel.onServerData(data);
            case PLAIN -> plain.onServerData(data);
            case WATCHING, AWAITING_ANSWER -> readAnswers(data);
        }
    }

    @Override
    public void onClientEnd() {
        if (state == State.AWAITING_ANSWER) {
            clientEndHeld = true;
        } else if (state == State.TUNNEL) {
            tunnel.onClientEnd();
        } else {
            plain.onClientEnd();
        }
    }

    @Override
    public void onServerEnd() {
        if (state == State.TUNNEL) {
            tunnel.onServerEnd();
            return;
        }
        becomePlain();
        plain.onServerEnd();
    }

    @Override
    public void onClose(boolean reset) {
        plain.onClose(reset);
        if (tunnel != null) {
            tunnel.onClose(reset);
        }
    }

    private void readRequests(ByteBuffer chunk) {
        ByteBuffer data = chunk.duplicate();
        int start = data.position();
        conversation.readRequests(data);
        Optional<FlowId> connected = conversation.pendingConnect().flatMap(head -> connectTarget(head.target()));
        if (conversation.isLost() || (conversation.pendingConnect().isPresent() && connected.isEmpty())) {
            state = State.PLAIN;
            plain.onClientData(chunk);
            return;
        }
        if (connected.isEmpty()) {
            plain.onClientData(chunk);
            return;
        }
        target = connected.get();
        plain.onClientData(data.slice(start, data.position() - start));
        state = State.AWAITING_ANSWER;
        hold(data);
    }

    private void readAnswers(ByteBuffer chunk) {
        ByteBuffer data = chunk.duplicate();
        int start = data.position();
        conversation.readResponses(data);
        if (conversation.isLost()) {
            becomePlain();
            plain.onServerData(chunk);
            return;
        }
        if (data.position() > start) {
            plain.onServerData(data.slice(start, data.position() - start));
        }
        if (conversation.isOpened()) {
            openTunnel(data);
        } else if (state == State.AWAITING_ANSWER && conversation.pendingConnect().isEmpty()) {
            refused(data);
        }
    }

    /** The proxy said 2xx: {@code rest}, and the child's held bytes, are the tunnel's. */
    private void openTunnel(ByteBuffer rest) {
        state = State.TUNNEL;
        tunnel = tunnels.apply(target);
        if (rest.hasRemaining()) {
            tunnel.onServerData(rest);
        }
        ByteBuffer held = heldClientBytes.take();
        if (held.hasRemaining()) {
            tunnel.onClientData(held);
        }
        if (clientEndHeld) {
            tunnel.onClientEnd();
        }
    }

    /** The proxy refused, its answer read to the end: the held bytes are the child's next requests. */
    private void refused(ByteBuffer rest) {
        state = State.WATCHING;
        ByteBuffer held = heldClientBytes.take();
        boolean endHeld = clientEndHeld;
        clientEndHeld = false;
        if (held.hasRemaining()) {
            readRequests(held);
        }
        if (endHeld) {
            onClientEnd();
        }
        if (rest.hasRemaining()) {
            onServerData(rest);
        }
    }

    /** The watch ends: the held bytes go on as they are, in order. */
    private void becomePlain() {
        boolean awaiting = state == State.AWAITING_ANSWER;
        state = State.PLAIN;
        if (!awaiting) {
            return;
        }
        ByteBuffer held = heldClientBytes.take();
        if (held.hasRemaining()) {
            plain.onClientData(held);
        }
        if (clientEndHeld) {
            plain.onClientEnd();
        }
    }

    private void hold(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (!heldClientBytes.add(data)) {
            // More than a ClientHello before the proxy answered: not a tunnel's opening; relay it as it is.
            becomePlain();
            plain.onClientData(data);
        }
    }

    /** The flow through the tunnel to a CONNECT's {@code host:port}; empty when it names no usable port. */
    private Optional<FlowId> connectTarget(String hostPort) {
        Optional<HostPort> authority = HostPort.split(hostPort);
        if (authority.isEmpty() || authority.get().port() == null || !authority.get().port().matches("[0-9]{1,5}")) {
            return Optional.empty();
        }
        int port = Integer.parseInt(authority.get().port());
        if (port < 1 || port > 65535 || authority.get().host().isEmpty()) {
            return Optional.empty();
        }
        InetAddress address = addressLiteral(authority.get().host()).orElse(flow.server().getAddress());
        return Optional.of(new FlowId(flow.client(), new InetSocketAddress(address, port)));
    }

    /** The address a host names by being an IP literal; never a DNS lookup. */
    private static Optional<InetAddress> addressLiteral(String host) {
        boolean ipv4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host)); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
