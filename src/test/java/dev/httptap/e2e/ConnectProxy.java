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
 * An HTTP proxy that tunnels: it answers {@code CONNECT name:port} with 200 and joins the connection to
 * this machine's 127.0.0.1 at that port, whatever the name (so a tunnel to host.httptap.local reaches the
 * test's server), and notes each target it was asked for. A request in absolute form ({@code GET http://...})
 * it answers itself with {@link #FORWARDED_BODY}, keeping the connection for the next request. Made with
 * credentials, it first refuses a CONNECT without them with a 407 (its body framed by a length, or in chunks;
 * the connection kept), as proxies that ask for them do. Made with a TLS context, it is an {@code https://}
 * proxy: the child speaks TLS to it, CONNECT inside.
 */
final class ConnectProxy implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 8192;

    static final String REFUSAL_BODY = "credentials, please\n";
    /** What the proxy answers a request in absolute form. */
    static final String FORWARDED_BODY = "from the proxy\n";

    private final TcpServerFixture server;
    /** The Proxy-Authorization value a CONNECT must carry; null when any goes. */
    private final String authorization;
    /** The proxy's TLS, for an https:// proxy; null for a plain one. */
    private final SSLContext tls;
    /** A 407's body goes in chunks, not after a Content-Length. */
    private final boolean chunkedRefusals;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private ConnectProxy(String authorization, SSLContext tls, boolean chunkedRefusals) throws IOException {
        this.authorization = authorization;
        this.tls = tls;
        this.chunkedRefusals = chunkedRefusals;
        server = TcpServerFixture.start(50, this::serve);
    }

    static ConnectProxy start() throws IOException {
        return new ConnectProxy(null, null, false);
    }

    /** An https:// proxy, whose certificate is {@code tls}'s. */
    static ConnectProxy startTls(SSLContext tls) throws IOException {
        return new ConnectProxy(null, tls, false);
    }

    /** A proxy that asks for Basic credentials {@code user:password} first, its 407's body in chunks if {@code chunked}. */
    static ConnectProxy withCredentials(String user, String password, boolean chunked) throws IOException {
        return new ConnectProxy("Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), null, chunked);
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
        String[] parts = head.lines().findFirst().orElse("").split(" ");
        while (parts.length == 3 && (parts[1].startsWith("http://") || !authorized(head))) {
            targets.add(parts[1].startsWith("http://") ? parts[0] + " " + parts[1] : "refused");
            client.getOutputStream().write((parts[1].startsWith("http://") ? forwarded() : refusal())
                    .getBytes(StandardCharsets.US_ASCII));
            head = head(client.getInputStream());
            parts = head.lines().findFirst().orElse("").split(" ");
        }
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

    private boolean authorized(String head) {
        return authorization == null
                || head.lines().anyMatch(line -> line.equalsIgnoreCase("Proxy-Authorization: " + authorization));
    }

    private static String forwarded() {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + FORWARDED_BODY.length() + "\r\n\r\n" + FORWARDED_BODY;
    }

    private String refusal() {
        String head = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n";
        if (chunkedRefusals) {
            return head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(REFUSAL_BODY.length()) + "\r\n"
                    + REFUSAL_BODY + "\r\n0\r\n\r\n";
        }
        return head + "Content-Length: " + REFUSAL_BODY.length() + "\r\n\r\n" + REFUSAL_BODY;
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
