package dev.httptap.tls;

import dev.httptap.relay.FlowHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * A child behind an {@code https://} proxy, in memory: the child's TLS client for the proxy, a {@link FlowHandler}
 * (httptap) between it and the proxy's TLS server, and, once the proxy has answered a CONNECT, the child's
 * second TLS client inside the first, talking to the target's TLS server through the proxy. All four are
 * {@link TlsEndpoint}s over SSLEngines; what each emits is queued and delivered in rounds, no sockets, no
 * threads. The proxy reads one request head, answers it with {@link #proxyAnswer} and joins the rest to the
 * target, as a tunnelling proxy does.
 */
final class ProxiedTlsConnection extends QueuedPeers {
    private final Queue<byte[]> childToHandler = new ArrayDeque<>();
    private final Queue<byte[]> proxyToHandler = new ArrayDeque<>();
    /** The plaintext the proxy decrypted and the child's outer client decrypted, not yet acted on. */
    private final Queue<byte[]> proxyPlaintext = new ArrayDeque<>();
    private final Queue<byte[]> childPlaintext = new ArrayDeque<>();
    /** TLS records of the inner connection, to be carried inside the outer one. */
    private final Queue<byte[]> targetRecords = new ArrayDeque<>();
    private final Queue<byte[]> innerChildRecords = new ArrayDeque<>();

    final TlsEndpoint childToProxy;
    final TlsEndpoint proxy;
    final TlsEndpoint childToTarget;
    final TlsEndpoint target;
    FlowHandler handler;
    /** What the proxy answers the request head it reads. */
    String proxyAnswer = "HTTP/1.1 200 Connection established\r\n\r\n";
    /** The request head the proxy read, and the answer head the child read; empty until then. */
    final ByteArrayOutputStream proxyRead = new ByteArrayOutputStream();
    final ByteArrayOutputStream childRead = new ByteArrayOutputStream();
    private boolean proxyAnswered;
    private boolean childReadAnswer;
    /** The plaintext the target and the child's inner client received. */
    final ByteArrayOutputStream targetReceived = new ByteArrayOutputStream();
    final ByteArrayOutputStream childReceived = new ByteArrayOutputStream();
    SSLException failure;

    ProxiedTlsConnection(SSLEngine childToProxy, SSLEngine proxy, SSLEngine childToTarget, SSLEngine target) {
        this.childToProxy = new TlsEndpoint(childToProxy, new QueuedOutput(childToHandler, childPlaintext::add));
        this.proxy = new TlsEndpoint(proxy, new QueuedOutput(proxyToHandler, proxyPlaintext::add));
        this.childToTarget = new TlsEndpoint(childToTarget, new QueuedOutput(innerChildRecords, childReceived::writeBytes));
        this.target = new TlsEndpoint(target, new QueuedOutput(targetRecords, targetReceived::writeBytes));
    }

    /** The TLS handshake with the proxy. */
    void handshake() {
        act(() -> {
            proxy.start();
            childToProxy.start();
        });
    }

    /** The child sends {@code text} to the proxy, in the outer connection's plaintext. */
    void childSendsToProxy(String text) {
        act(() -> childToProxy.send(bytes(text)));
    }

    /** The child starts TLS with the target inside the tunnel, as it does once the proxy said 200. */
    void openTunnel() {
        act(() -> {
            target.start();
            childToTarget.start();
        });
    }

    void childSendsToTarget(String text) {
        act(() -> childToTarget.send(bytes(text)));
    }

    void targetSends(String text) {
        act(() -> target.send(bytes(text)));
    }

    /** {@code endpoint} sends its close_notify. */
    void closes(TlsEndpoint endpoint) {
        act(endpoint::close);
    }

    /** Delivers queued bytes until nothing moves (bounded: a test never needs many rounds). */
    void run() {
        for (int round = 0; round < 1000; round++) {
            boolean moved = deliver(childToHandler, bytes -> handler.onClientData(bytes.asReadOnlyBuffer()))
                    | deliver(proxyToHandler, bytes -> handler.onServerData(bytes.asReadOnlyBuffer()))
                    | deliver(toServer, proxy::receive)
                    | deliver(toClient, childToProxy::receive)
                    | deliver(proxyPlaintext, this::proxyReads)
                    | deliver(childPlaintext, this::childReads)
                    | deliver(targetRecords, proxy::send)
                    | deliver(innerChildRecords, childToProxy::send);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the connection never settled");
    }

    static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** The proxy's side of the tunnel: a request head, answered, then the target's bytes. */
    private void proxyReads(ByteBuffer plaintext) throws SSLException {
        if (proxyAnswered) {
            target.receive(plaintext);
            return;
        }
        ByteBuffer rest = readHead(plaintext, proxyRead);
        if (rest != null) {
            proxyAnswered = true;
            proxy.send(bytes(proxyAnswer));
            target.receive(rest);
        }
    }

    /** The child's side: the proxy's answer head, then the target's records for the inner client. */
    private void childReads(ByteBuffer plaintext) throws SSLException {
        if (childReadAnswer) {
            childToTarget.receive(plaintext);
            return;
        }
        ByteBuffer rest = readHead(plaintext, childRead);
        if (rest != null) {
            childReadAnswer = true;
            childToTarget.receive(rest);
        }
    }

    /** Adds {@code bytes} to {@code head} up to its empty line; what follows it, or null while it goes on. */
    private static ByteBuffer readHead(ByteBuffer bytes, ByteArrayOutputStream head) {
        while (bytes.hasRemaining()) {
            head.write(bytes.get());
            if (text(head).endsWith("\r\n\r\n")) {
                return bytes.slice();
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws SSLException;
    }

    @FunctionalInterface
    private interface Delivery {
        void accept(ByteBuffer bytes) throws SSLException;
    }

    private void act(Step step) {
        try {
            step.run();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
        run();
    }

    private boolean deliver(Queue<byte[]> queue, Delivery to) {
        boolean moved = false;
        byte[] bytes;
        while ((bytes = queue.poll()) != null) {
            moved = true;
            if (reset || failure != null) {
                continue;
            }
            try {
                to.accept(ByteBuffer.wrap(bytes));
            } catch (SSLException e) {
                failure = e;
            }
        }
        return moved;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
