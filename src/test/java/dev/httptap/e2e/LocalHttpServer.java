package dev.httptap.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * An HTTP/1.1 server on 127.0.0.1 (ephemeral port) written on plain sockets, so every byte of framing is
 * known to the tests. One thread per connection; connections are kept alive as HTTP/1.1 allows.
 *
 * <p>Endpoints, unless the server is started with a {@link Responder} of its own:
 * <ul>
 *   <li>{@code GET /hello}: {@link #HELLO_BODY} with a Content-Length.</li>
 *   <li>{@code GET /bytes/N}: N bytes of {@link DeterministicContent}, streamed.</li>
 *   <li>{@code GET /chunked}: {@link #CHUNKS} in chunked framing.</li>
 *   <li>{@code GET /gzip}: {@link #GZIP_TEXT} compressed, with {@code Content-Encoding: gzip}.</li>
 *   <li>{@code GET /slow}: {@link #SLOW_PIECES}, one every {@link #SLOW_PAUSE_MILLIS} ms.</li>
 *   <li>{@code GET /redirect}: 302 to {@code /hello}.</li>
 *   <li>{@code GET /gzip}: {@link #HELLO_BODY} ten times, gzip-encoded, as text/plain.</li>
 *   <li>{@code POST /echo}: the request body back, in the framing it came in.</li>
 *   <li>{@code POST|PUT /upload}: consumes the body, answers "LENGTH SHA256\n", see {@link #lastUpload()}.</li>
 * </ul>
 */
final class LocalHttpServer implements AutoCloseable {
    static final String HELLO_BODY = "hello, httptap\n";
    static final List<String> CHUNKS = List.of("first chunk\n", "x".repeat(5000) + "\n", "last chunk\n");
    static final List<String> SLOW_PIECES = List.of("slow 1\n", "slow 2\n", "slow 3\n", "slow 4\n", "slow 5\n");
    static final int SLOW_PAUSE_MILLIS = 200;
    static final String GZIP_TEXT = "this text travelled gzip-compressed\n".repeat(20);

    /** What answers each request, on the connection's thread; the connection stays aligned whatever it reads. */
    interface Responder {
        void respond(RequestHead head, RequestBody body, ResponseWriter response) throws IOException;
    }

    private final ServerSocket listener;
    private final Responder responder;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<InetAddress> peers = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicReference<UploadReceipt> lastUpload = new AtomicReference<>();

    private LocalHttpServer(ServerSocket listener, Responder responder) {
        this.listener = listener;
        this.responder = responder != null ? responder : this::respond;
    }

    static LocalHttpServer start() throws IOException {
        return start(InetAddress.getLoopbackAddress());
    }

    /** The same server on another local address, e.g. ::1. */
    static LocalHttpServer start(InetAddress bindTo) throws IOException {
        return start(new ServerSocket(0, 50, bindTo), null);
    }

    /** Plain HTTP on 127.0.0.1, answered by {@code responder} instead of the fixture endpoints. */
    static LocalHttpServer start(Responder responder) throws IOException {
        return start(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), responder);
    }

    /** The same server over HTTPS with {@code tls}'s certificate, offering HTTP/1.1 by ALPN. */
    static LocalHttpServer startTls(SSLContext tls) throws IOException {
        return startTls(tls, InetAddress.getLoopbackAddress());
    }

    /** The HTTPS server on another local address, e.g. ::1. */
    static LocalHttpServer startTls(SSLContext tls, InetAddress bindTo) throws IOException {
        return startTls(tls, bindTo, null);
    }

    /** HTTPS on 127.0.0.1, answered by {@code responder} instead of the fixture endpoints. */
    static LocalHttpServer startTls(SSLContext tls, Responder responder) throws IOException {
        return startTls(tls, InetAddress.getLoopbackAddress(), responder);
    }

    private static LocalHttpServer startTls(SSLContext tls, InetAddress bindTo, Responder responder) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, bindTo);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        return start(socket, responder);
    }

    private static LocalHttpServer start(ServerSocket socket, Responder responder) {
        LocalHttpServer server = new LocalHttpServer(socket, responder);
        Thread acceptor = new Thread(server::acceptLoop, "http-fixture-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many TCP connections the server has accepted so far. */
    int connectionsAccepted() {
        return connections.get();
    }

    /** The remote address of every accepted connection, in order. */
    List<InetAddress> peers() {
        return List.copyOf(peers);
    }

    /** Connection-level problems the server saw (malformed requests, resets), for test diagnostics. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The most recent completed upload, or null. */
    UploadReceipt lastUpload() {
        return lastUpload.get();
    }

    static long chunkedBodyLength() {
        return String.join("", CHUNKS).getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                peers.add(socket.getInetAddress());
                Thread worker = new Thread(() -> serve(socket), "http-fixture-" + connections.get());
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    failures.add("accept: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            boolean keepAlive = true;
            while (keepAlive) {
                RequestHead head = RequestHead.read(in);
                if (head == null) {
                    return;
                }
                keepAlive = head.keepAlive();
                RequestBody body = RequestBody.open(head, in);
                ResponseWriter response = new ResponseWriter(out, keepAlive);
                if (head.hasToken("expect", "100-continue")) {
                    response.continueInterim();
                }
                responder.respond(head, body, response);
                body.drain();
            }
        } catch (IOException | RuntimeException e) {
            failures.add(socket.getRemoteSocketAddress() + ": " + e);
        }
    }

    private void respond(RequestHead head, RequestBody body, ResponseWriter response) throws IOException {
        String path = head.path();
        String method = head.method();
        if (method.equals("GET") && path.equals("/hello")) {
            response.fixed(200, HELLO_BODY);
        } else if (method.equals("GET") && path.startsWith("/bytes/")) {
            long length = Long.parseLong(path.substring("/bytes/".length()));
            DeterministicContent.writeTo(response.startFixed(200, length), length);
            response.flush();
        } else if (method.equals("GET") && path.equals("/redirect")) {
            response.fixed(302, new byte[0], "Location: /hello");
        } else if (method.equals("GET") && path.equals("/gzip")) {
            response.fixed(200, gzipText(), "Content-Type: text/plain; charset=utf-8", "Content-Encoding: gzip");
        } else if (method.equals("GET") && path.equals("/chunked")) {
            sendPiecesChunked(response);
        } else if (method.equals("GET") && path.equals("/slow")) {
            sendSlowly(response);
        } else if (method.equals("POST") && path.equals("/echo")) {
            echo(head, body, response);
        } else if ((method.equals("POST") || method.equals("PUT")) && path.equals("/upload")) {
            receiveUpload(body, response);
        } else {
            response.fixed(404, "no such fixture endpoint: " + method + " " + path + "\n");
        }
    }

    /** {@link #GZIP_TEXT} as the /gzip endpoint sends it. */
    static byte[] gzipText() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(GZIP_TEXT.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void sendPiecesChunked(ResponseWriter response) throws IOException {
        response.startChunked(200);
        for (String piece : CHUNKS) {
            byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
            response.chunk(bytes, 0, bytes.length);
        }
        response.endChunked();
    }

    private static void sendSlowly(ResponseWriter response) throws IOException {
        String whole = String.join("", SLOW_PIECES);
        OutputStream out = response.startFixed(200, whole.getBytes(StandardCharsets.UTF_8).length);
        for (String piece : SLOW_PIECES) {
            out.write(piece.getBytes(StandardCharsets.UTF_8));
            out.flush();
            pause(SLOW_PAUSE_MILLIS);
        }
    }

    private static void echo(RequestHead head, RequestBody body, ResponseWriter response) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        String length = head.header("content-length");
        if (length != null) {
            OutputStream out = response.startFixed(200, Long.parseLong(length));
            for (int n; (n = body.read(buffer, 0, buffer.length)) != -1; ) {
                out.write(buffer, 0, n);
            }
            response.flush();
        } else {
            response.startChunked(200);
            for (int n; (n = body.read(buffer, 0, buffer.length)) != -1; ) {
                response.chunk(buffer, 0, n);
            }
            response.endChunked();
        }
    }

    private void receiveUpload(RequestBody body, ResponseWriter response) throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        byte[] buffer = new byte[64 * 1024];
        long length = 0;
        for (int n; (n = body.read(buffer, 0, buffer.length)) != -1; ) {
            sha256.update(buffer, 0, n);
            length += n;
        }
        UploadReceipt receipt = new UploadReceipt(length, HexFormat.of().formatHex(sha256.digest()));
        lastUpload.set(receipt);
        response.fixed(200, receipt.length() + " " + receipt.sha256() + "\n");
    }

    private static void pause(int millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trickling a slow response", e);
        }
    }
}
