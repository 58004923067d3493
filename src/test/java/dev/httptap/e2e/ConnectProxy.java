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
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP proxy that only tunnels: it answers {@code CONNECT name:port} with 200 and joins the connection to
 * this machine's 127.0.0.1 at that port, whatever the name (so a tunnel to host.httptap.local reaches the
 * test's server), and notes each target it was asked for. Made with credentials, it first refuses a CONNECT
 * without them with a 407 (a body of known length, the connection kept), as proxies that ask for them do.
 * Made with a TLS context, it is an {@code https://} proxy: the child speaks TLS to it, CONNECT inside.
 */
final class ConnectProxy implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 8192;

    private static final String REFUSAL_BODY = "credentials, please\n";

    private final TcpServerFixture server;
    /** The Proxy-Authorization value a CONNECT must carry; null when any goes. */
    private final String authorization;
    /** The proxy's TLS, for an https:// proxy; null for a plain one. */
    private final SSLContext tls;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private ConnectProxy(String authorization, SSLContext tls) throws IOException {
        this.authorization = authorization;
        this.tls = tls;
        server = TcpServerFixture.start(50, this::serve);
    }

    static ConnectProxy start() throws IOException {
        return new ConnectProxy(null, null);
    }

    /** An https:// proxy, whose certificate is {@code tls}'s. */
    static ConnectProxy startTls(SSLContext tls) throws IOException {
        return new ConnectProxy(null, tls);
    }

    /** A proxy that asks for Basic credentials {@code user:password} first. */
    static ConnectProxy withCredentials(String user, String password) throws IOException {
        return new ConnectProxy("Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), null);
    }

    int port() {
        return server.port();
    }

    /** The connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** The CONNECT targets asked for, in order ("refused" for each 407). */
    List<String> targets() {
        return List.copyOf(targets);
    }

    List<String> failures() {
        return server.failures();
    }

    private void serve(Socket accepted) throws IOException, InterruptedException {
        connections.incrementAndGet();
        Socket client = tls == null ? accepted : overTls(accepted);
        String head = head(client.getInputStream());
        while (authorization != null && !head.isEmpty()
                && head.lines().noneMatch(line -> line.equalsIgnoreCase("Proxy-Authorization: " + authorization))) {
            targets.add("refused");
            client.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
                    + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: " + REFUSAL_BODY.length() + "\r\n\r\n"
                    + REFUSAL_BODY).getBytes(StandardCharsets.US_ASCII));
            head = head(client.getInputStream());
        }
        String requestLine = head.lines().findFirst().orElse("");
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

    private Socket overTls(Socket accepted) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(accepted, null, accepted.getPort(), true);
        socket.setUseClientMode(false);
        socket.startHandshake();
        return socket;
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
