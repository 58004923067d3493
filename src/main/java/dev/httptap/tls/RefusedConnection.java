package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import dev.httptap.relay.FlowPeers;
import dev.httptap.relay.ServerNameCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A connection the egress policy refused once it was set up (its server's name came with its first
 * bytes): a TLS child gets a fatal access_denied alert, an HTTP one a 403, then both sides are closed; a
 * child that named no server is reset. Nothing reaches the server, and whatever comes after is dropped.
 */
final class RefusedConnection implements FlowHandler {
    /** A fatal (2) access_denied (49) alert record, in the TLS 1.2 record version that TLS 1.3 also uses. */
    private static final byte[] ACCESS_DENIED_ALERT = {21, 3, 3, 0, 2, 2, 49};

    private final FlowPeers peers;
    private boolean refused;

    private RefusedConnection(FlowPeers peers) {
        this.peers = peers;
    }

    /** Sends the alert and closes both sides now. */
    static FlowHandler withTlsAlert(FlowPeers peers) {
        RefusedConnection connection = new RefusedConnection(peers);
        connection.refused = true;
        peers.sendToClient(ByteBuffer.wrap(ACCESS_DENIED_ALERT));
        peers.endClient();
        peers.endServer();
        return connection;
    }

    /** Answers 403 in HTTP/1.1, whose body names {@code server} and the {@code rule} denying it, and closes both sides now. */
    static FlowHandler withHttpForbidden(FlowPeers peers, String server, String rule) {
        RefusedConnection connection = new RefusedConnection(peers);
        connection.refused = true;
        byte[] body = ServerNameCheck.forbiddenText(server, rule).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 403 Forbidden\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        peers.sendToClient(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
        peers.sendToClient(ByteBuffer.wrap(body));
        peers.endClient();
        peers.endServer();
        return connection;
    }

    /** Resets both sides now. */
    static FlowHandler withReset(FlowPeers peers) {
        RefusedConnection connection = new RefusedConnection(peers);
        connection.refuse();
        return connection;
    }

    @Override
    public void onClientData(ByteBuffer data) {
        refuse();
    }

    @Override
    public void onServerData(ByteBuffer data) {
        refuse();
    }

    @Override
    public void onClientEnd() {
        refuse();
    }

    @Override
    public void onServerEnd() {
        refuse();
    }

    @Override
    public void onClose(boolean reset) {
        refused = true;
    }

    private void refuse() {
        if (!refused) {
            refused = true;
            peers.reset();
        }
    }
}
