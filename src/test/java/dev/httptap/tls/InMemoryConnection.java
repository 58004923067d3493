package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * A child's TLS client and a real TLS server, both {@link TlsEndpoint}s over SSLEngines, joined through a
 * {@link FlowHandler} in memory: what each side emits is queued and delivered in rounds, no sockets, no
 * threads. Records the plaintext each end received and what the handler did to the connection.
 */
final class InMemoryConnection extends QueuedPeers {
    private final Queue<byte[]> clientToHandler = new ArrayDeque<>();
    private final Queue<byte[]> serverToHandler = new ArrayDeque<>();
    final ByteArrayOutputStream clientReceived = new ByteArrayOutputStream();
    final ByteArrayOutputStream serverReceived = new ByteArrayOutputStream();
    /** Raw bytes httptap sent the child, TLS records included. */
    final ByteArrayOutputStream clientRaw = new ByteArrayOutputStream();
    /** Raw bytes that reached the server (the new one after a redial): what a passed-through connection shows. */
    final ByteArrayOutputStream serverRaw = new ByteArrayOutputStream();
    /** Raw bytes the child sent, TLS records included. */
    final ByteArrayOutputStream clientSentRaw = new ByteArrayOutputStream();
    final TlsEndpoint client;
    TlsEndpoint server;
    /** The server engine a {@link #redial} reaches; null where there is no redialling (a proxy's tunnel). */
    SSLEngine redialedServer;
    int redials;
    FlowHandler handler;
    /** Delivers the child's bytes to the handler one at a time, as the worst network would. */
    boolean clientBytesOneByOne;
    /** Drops what is sent to the child, as a child that stopped listening mid-handshake. */
    boolean clientDeaf;
    /** The child sends no alert when its handshake fails, as java.net.http's HttpClient. */
    boolean clientSilentOnFailure;
    /** Keeps what is sent to the server from its engine: the test answers with bytes of its own. */
    boolean serverDeaf;
    SSLException clientFailure;
    SSLException serverFailure;

    InMemoryConnection(SSLEngine clientEngine, SSLEngine serverEngine) {
        client = new TlsEndpoint(clientEngine, new QueuedOutput(clientToHandler, clientReceived::writeBytes));
        server = new TlsEndpoint(serverEngine, new QueuedOutput(serverToHandler, serverReceived::writeBytes));
    }

    /** Starts both engines and runs until nothing moves. */
    void handshake() {
        try {
            server.start();
            client.start();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
        run();
    }

    void clientSends(String text) {
        try {
            client.send(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
        run();
    }

    void serverSends(String text) {
        try {
            server.send(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
        run();
    }

    /** Delivers queued bytes until every queue is empty (bounded: a test never needs many rounds). */
    void run() {
        for (int round = 0; round < 1000; round++) {
            boolean moved = false;
            byte[] bytes;
            while ((bytes = clientToHandler.poll()) != null && !reset) {
                clientSentRaw.writeBytes(bytes);
                int step = clientBytesOneByOne ? 1 : bytes.length;
                for (int offset = 0; offset < bytes.length && !reset; offset += step) {
                    handler.onClientData(ByteBuffer.wrap(bytes, offset, step).slice().asReadOnlyBuffer());
                }
                moved = true;
            }
            while ((bytes = serverToHandler.poll()) != null && !reset) {
                handler.onServerData(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                moved = true;
            }
            while ((bytes = toServer.poll()) != null) {
                serverRaw.writeBytes(bytes);
                if (serverFailure == null && !serverDeaf) {
                    try {
                        server.receive(ByteBuffer.wrap(bytes));
                    } catch (SSLException e) {
                        serverFailure = e;
                    }
                }
                moved = true;
            }
            while ((bytes = toClient.poll()) != null) {
                if (clientFailure == null && !clientDeaf) {
                    try {
                        client.receive(ByteBuffer.wrap(bytes));
                    } catch (SSLException e) {
                        clientFailure = e;
                        if (!clientSilentOnFailure) {
                            client.sendPendingAlert();
                        }
                    }
                }
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the connection never settled");
    }

    String clientText() {
        return clientReceived.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    String serverText() {
        return serverReceived.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public void sendToClient(ByteBuffer bytes) {
        clientRaw.writeBytes(copy(bytes.duplicate()));
        super.sendToClient(bytes);
    }

    /** The old server's bytes either way are dropped; {@link #redialedServer} answers from now on. */
    @Override
    public boolean redial() {
        if (redialedServer == null) {
            return false;
        }
        redials++;
        toServer.clear();
        serverToHandler.clear();
        serverRaw.reset();
        server = new TlsEndpoint(redialedServer, new QueuedOutput(serverToHandler, serverReceived::writeBytes));
        try {
            server.start();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
        return true;
    }
}
