package dev.httptap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy that only tunnels: it answers {@code CONNECT name:port} with 200 and joins the connection to
 * this machine's 127.0.0.1 at that port, whatever the name (so a tunnel to host.httptap.local reaches the
 * test's server), and notes each target it was asked for.
 */
final class ConnectProxy implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 8192;

    private final TcpServerFixture server;
    private final List<String> targets = new CopyOnWriteArrayList<>();

    private ConnectProxy() throws IOException {
        server = TcpServerFixture.start(50, this::serve);
    }

    static ConnectProxy start() throws IOException {
        return new ConnectProxy();
    }

    int port() {
        return server.port();
    }

    /** The CONNECT targets asked for, in order. */
    List<String> targets() {
        return List.copyOf(targets);
    }

    List<String> failures() {
        return server.failures();
    }

    private void serve(Socket client) throws IOException, InterruptedException {
        String requestLine = head(client.getInputStream()).lines().findFirst().orElse("");
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[0].equals("CONNECT")) {
            client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return;
        }
        targets.add(parts[1]);
        int port = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread toServer = new Thread(() -> pump(client, upstream), "connect-proxy-up");
            toServer.setDaemon(true);
            toServer.start();
            pump(upstream, client);
            toServer.join(10_000);
        }
    }

    /** Reads up to the head's empty line, byte by byte, so that nothing after it is consumed. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Copies {@code from} to {@code to} until the end, then half-closes {@code to}. */
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            // the other direction's end closes the sockets: nothing more to copy
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
