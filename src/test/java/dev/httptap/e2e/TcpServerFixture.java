package dev.httptap.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 (ephemeral port) that runs a test's {@link Handler} for each accepted
 * connection on its own small thread, and collects what went wrong for the assertion messages.
 */
final class TcpServerFixture implements AutoCloseable {
    /** What the server does with one connection; the fixture closes the socket afterwards. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket) throws IOException, InterruptedException;
    }

    private static final long HANDLER_STACK_BYTES = 256 * 1024;

    private final ServerSocket listener;
    private final Handler handler;
    private final AtomicInteger handled = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private TcpServerFixture(ServerSocket listener, Handler handler) {
        this.listener = listener;
        this.handler = handler;
    }

    /** {@code backlog}: how many connections may wait to be accepted (1,000 at once need a long queue). */
    static TcpServerFixture start(int backlog, Handler handler) throws IOException {
        TcpServerFixture server = new TcpServerFixture(new ServerSocket(0, backlog, InetAddress.getLoopbackAddress()),
                handler);
        Thread acceptor = new Thread(server::acceptLoop, "tcp-fixture-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections whose handler returned without an exception. */
    int handled() {
        return handled.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed by the test
            }
            Thread thread = new Thread(null, () -> serve(socket), "tcp-fixture-connection", HANDLER_STACK_BYTES);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            handler.handle(socket);
            handled.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failures.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
