package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The userspace TCP/IP stack under load, with the child's real kernel as its peer: half-close both ways,
 * flow control against a stalled reader on either side, 1,000 concurrent connections, bulk transfers with
 * matching SHA-256, iperf3 both ways, and QUIC refused. Every server is started here on 127.0.0.1 and
 * reached through the host alias.
 */
class StackIT {
    private static final String HOST = Httptap.HOST_ADDRESS;
    /** Size of the bulk download and upload (system property httptap.e2e.stackBytes, default 1 GiB). */
    private static final long BULK_BYTES = Long.getLong("httptap.e2e.stackBytes", 1L << 30);
    private static final Duration BULK_TIMEOUT = Duration.ofSeconds(120);
    private static final int STALL_MIB = 32;
    private static final int STALL_MILLIS = 1500;
    private static final int CONNECTIONS = 1000;

    /** The relay thread waits for the TUN device and its sockets at once; a reader thread is the fallback. */
    @Test
    void theRelayThreadReadsTheTunDeviceItself() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> socket.getOutputStream().write('x'))) {
            ProcessRun run = Httptap.command("sh", "-c", "nc " + HOST + " " + server.port() + " < /dev/null")
                    .flags("-v").run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("x", run.programStdout(), run::describe);
            assertTrue(run.stderrLines().stream().noneMatch(line -> line.contains("thread of its own")), run::describe);
        }
    }

    @Test
    void theChildsHalfCloseReachesTheServerWhichCanStillAnswer() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            byte[] received = socket.getInputStream().readAllBytes(); // ends only at the child's FIN
            socket.getOutputStream().write(("received " + received.length + "\n").getBytes(StandardCharsets.US_ASCII));
        })) {
            ProcessRun run = Httptap.command("sh", "-c",
                    "printf 'hello from the child' | nc -N " + HOST + " " + server.port()).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("received 20\n", run.programStdout(), () -> server.failures() + run.describe());
        }
    }

    @Test
    void theServersHalfCloseReachesTheChildWhichCanStillAnswer() throws IOException {
        AtomicReference<String> afterEof = new AtomicReference<>();
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            socket.getOutputStream().write("greeting\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            afterEof.set(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        })) {
            String client = """
                    import socket
                    s = socket.create_connection(("%s", %d))
                    got = b""
                    while chunk := s.recv(100):
                        got += chunk
                    s.sendall(b"answer after your FIN")
                    s.shutdown(socket.SHUT_WR)
                    print(got.decode().strip(), len(s.recv(100)))
                    """.formatted(HOST, server.port());

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("greeting 0\n", run.programStdout(), run::describe);
            awaitHandled(server, 1);
            assertEquals("answer after your FIN", afterEof.get(), () -> server.failures() + run.describe());
        }
    }

    @Test
    void theChildsResetReachesTheServer() throws IOException {
        CompletableFuture<String> firstConnection = new CompletableFuture<>();
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            if (readLine(socket.getInputStream()).equals("reset me")) {
                try {
                    socket.getInputStream().read();
                    firstConnection.complete("clean end");
                } catch (SocketException e) {
                    firstConnection.complete(e.getMessage());
                }
            } else { // a second connection asks how the first one ended, while the child still runs
                String outcome = firstConnection.completeOnTimeout("no end", 10, TimeUnit.SECONDS).join();
                socket.getOutputStream().write((outcome + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            String client = """
                    import socket, struct
                    s = socket.create_connection(("%1$s", %2$d))
                    s.sendall(b"reset me\\n")
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    s.close()
                    s = socket.create_connection(("%1$s", %2$d))
                    s.sendall(b"how did it end?\\n")
                    print(s.makefile().readline().strip())
                    """.formatted(HOST, server.port());

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("Connection reset\n", run.programStdout(), () -> server.failures() + run.describe());
        }
    }

    @Test
    void theServersResetReachesTheChild() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            readLine(socket.getInputStream());
            socket.setSoLinger(true, 0); // close with RST
        })) {
            String client = """
                    import socket
                    s = socket.create_connection(("%s", %d))
                    s.sendall(b"reset me\\n")
                    try:
                        print("read", s.recv(100))
                    except ConnectionResetError:
                        print("reset")
                    """.formatted(HOST, server.port());

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("reset\n", run.programStdout(), () -> server.failures() + run.describe());
        }
    }

    @Test
    void aServerThatStopsReadingStallsTheChildAndLosesNothing() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            InputStream in = socket.getInputStream();
            MessageDigest digest = sha256();
            long count = digestSome(in, digest, 1 << 20);
            Thread.sleep(STALL_MILLIS); // the child keeps writing into a closed window meanwhile
            count += digestSome(in, digest, Long.MAX_VALUE);
            socket.getOutputStream().write((count + " " + hex(digest) + "\n").getBytes(StandardCharsets.US_ASCII));
        })) {
            String client = PATTERN_PYTHON + """
                    s = socket.create_connection(("%s", %d))
                    for _ in range(%d):
                        s.sendall(block)
                    s.shutdown(socket.SHUT_WR)
                    print(s.makefile().readline().strip())
                    """.formatted(HOST, server.port(), STALL_MIB);

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals((STALL_MIB << 20) + " " + patternSha256(STALL_MIB) + "\n", run.programStdout(),
                    () -> server.failures() + run.describe());
        }
    }

    @Test
    void aChildThatStopsReadingStallsTheServerAndLosesNothing() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            OutputStream out = socket.getOutputStream();
            byte[] block = patternBlock();
            for (int i = 0; i < STALL_MIB; i++) {
                out.write(block);
            }
        })) {
            String client = """
                    import hashlib, socket, time
                    s = socket.create_connection(("%s", %d))
                    digest, count = hashlib.sha256(), 0
                    while chunk := s.recv(65536):
                        if count < (1 << 20) <= count + len(chunk):
                            time.sleep(%f)
                        digest.update(chunk)
                        count += len(chunk)
                    print(count, digest.hexdigest())
                    """.formatted(HOST, server.port(), STALL_MILLIS / 1000.0);

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals((STALL_MIB << 20) + " " + patternSha256(STALL_MIB) + "\n", run.programStdout(),
                    () -> server.failures() + run.describe());
        }
    }

    @Test
    void keepAliveProbesAreAnsweredSoAnIdleConnectionSurvives() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, socket -> {
            String line = readLine(socket.getInputStream());
            socket.getOutputStream().write((line + " back\n").getBytes(StandardCharsets.US_ASCII));
        })) {
            // One unanswered probe after 1 s idle kills the connection (ETIMEDOUT): it must stay up for 3 s.
            String client = """
                    import socket, time
                    s = socket.create_connection(("%s", %d))
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 1)
                    time.sleep(3)
                    s.sendall(b"still alive\\n")
                    print(s.makefile().readline().strip())
                    """.formatted(HOST, server.port());

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("still alive back\n", run.programStdout(), () -> server.failures() + run.describe());
        }
    }

    @Test
    void aThousandConcurrentConnectionsAllSucceed() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(CONNECTIONS + 100, socket -> {
            InputStream in = socket.getInputStream();
            String line = readLine(in);
            socket.getOutputStream().write(("pong " + line.substring("ping ".length()) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            in.readAllBytes(); // hold the connection until the child closes it
        })) {
            String client = """
                    import asyncio
                    async def connect():
                        return await asyncio.open_connection("%s", %d)
                    async def ping(i, reader, writer):
                        writer.write(b"ping %%d\\n" %% i)
                        await writer.drain()
                        ok = await reader.readline() == b"pong %%d\\n" %% i
                        # a clean close both ways before exiting: httptap resets what is left at exit
                        writer.write_eof()
                        ok = ok and await reader.read() == b""
                        writer.close()
                        return ok
                    async def main():
                        # all open at once and held open, then each does its request
                        streams = await asyncio.gather(*(connect() for _ in range(%d)))
                        results = await asyncio.gather(*(ping(i, r, w) for i, (r, w) in enumerate(streams)))
                        print(sum(results), "ok")
                    asyncio.run(main())
                    """.formatted(HOST, server.port(), CONNECTIONS);

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals(CONNECTIONS + " ok\n", run.programStdout(), () -> server.failures() + run.describe());
            awaitHandled(server, CONNECTIONS);
            assertEquals(List.of(), server.failures());
        }
    }

    @Test
    void bulkDownloadArrivesIntact() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + HOST + ":" + server.port() + "/bytes/" + BULK_BYTES;

            ProcessRun run = Httptap.command("sh", "-c", "curl -s " + url + " | sha256sum")
                    .timeout(BULK_TIMEOUT).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals(DeterministicContent.sha256Hex(BULK_BYTES) + "  -\n", run.programStdout(), run::describe);
        }
    }

    @Test
    void bulkUploadArrivesIntact() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + HOST + ":" + server.port() + "/upload";
            String upload = DeterministicContent.shellGenerator(BULK_BYTES) + " | curl -s -T - " + url;

            ProcessRun run = Httptap.command("sh", "-c", upload).timeout(BULK_TIMEOUT).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals(new UploadReceipt(BULK_BYTES, DeterministicContent.sha256Hex(BULK_BYTES)), server.lastUpload(),
                    () -> server.failures() + run.describe());
        }
    }

    @ParameterizedTest(name = "reverse={0}")
    @ValueSource(booleans = {false, true})
    void iperf3RunsBothWays(boolean reverse) throws IOException {
        int port = freePort();
        RunningCommand iperfServer = RunningCommand.start(List.of("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p",
                String.valueOf(port)));
        try {
            awaitListening(port);
            List<String> client = new ArrayList<>(List.of("iperf3", "-c", HOST, "-p", String.valueOf(port), "-t", "3"));
            if (reverse) {
                client.add("-R");
            }
            ProcessRun run = Httptap.command(client.toArray(String[]::new)).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertTrue(run.programStdout().contains("receiver"), run::describe);
            ProcessRun server = iperfServer.awaitExit(Duration.ofSeconds(10));
            assertEquals(0, server.exitCode(), server::describe);
        } finally {
            iperfServer.killTree();
        }
    }

    @Test
    void quicIsRefusedSoClientsFallBackToTcp() {
        String client = """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(10)
                s.connect(("%s", 443))
                s.send(b"quic initial")
                try:
                    s.recv(100)
                    print("answered")
                except ConnectionRefusedError:
                    print("refused")
                """.formatted(HOST);

        ProcessRun run = Httptap.command("python3", "-c", client).run();

        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("refused\n", run.programStdout(), run::describe);
    }

    @Test
    void emptyDatagramsCrossBothWays() throws IOException {
        try (UdpEchoServer server = UdpEchoServer.start()) {
            String client = """
                    import socket
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.settimeout(10)
                    s.connect(("%s", %d))
                    s.send(b"")
                    s.send(b"after the empty one")
                    print(s.recv(100), s.recv(100))
                    """.formatted(HOST, server.port());

            ProcessRun run = Httptap.command("python3", "-c", client).run();

            assertEquals(0, run.exitCode(), run::describe);
            assertEquals("b'' b'after the empty one'\n", run.programStdout(), run::describe);
            assertEquals(2, server.peers().size(), run::describe);
        }
    }

    @Test
    void nxdomainStaysNxdomainOverUdpAndTcp(@TempDir Path dir) throws IOException {
        try (NxdomainResolver resolver = NxdomainResolver.start()) {
            Path resolvConf = dir.resolve("resolv.conf");
            Files.writeString(resolvConf, "nameserver " + resolver.address().getHostAddress() + "\n");
            String client = """
                    import socket, struct
                    query = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
                    query += b"".join(bytes([len(p)]) + p for p in (b"nosuch", b"httptap", b"test")) + b"\\0"
                    query += struct.pack(">HH", 1, 1)
                    print(query.hex())
                    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    u.settimeout(10)
                    u.sendto(query, ("10.1.1.1", 53))
                    print(u.recv(512).hex())
                    t = socket.create_connection(("10.1.1.1", 53), timeout=10)
                    t.sendall(struct.pack(">H", len(query)) + query)
                    f = t.makefile("rb")
                    print(f.read(struct.unpack(">H", f.read(2))[0]).hex())
                    try:
                        socket.getaddrinfo("nosuch.httptap.test", 80)
                    except socket.gaierror as e:
                        print(e.errno == socket.EAI_NONAME)
                    """;

            // The relay reads the host's resolv.conf: give it one naming the test resolver, in a mount
            // namespace of its own.
            ProcessRun run = Httptap.command("python3", "-c", client)
                    .wrappedIn("unshare", "-m", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"",
                            resolvConf.toString())
                    .run();

            assertEquals(0, run.exitCode(), run::describe);
            List<String> lines = run.programStdout().lines().toList();
            assertEquals(4, lines.size(), run::describe);
            byte[] query = HexFormat.of().parseHex(lines.get(0));
            String nxdomain = HexFormat.of().formatHex(NxdomainResolver.answer(query, query.length));
            assertEquals(List.of(nxdomain, nxdomain, "True"), lines.subList(1, 4), "UDP, TCP, then the C library");
            assertTrue(resolver.queries() >= 3, "every answer came from the test resolver");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Python that defines {@code block}: the 1 MiB of {@link #patternBlock}. */
    private static final String PATTERN_PYTHON = """
            import socket
            block = bytes((i * 7 + 3) & 255 for i in range(1 << 20))
            """;

    private static byte[] patternBlock() {
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7 + 3);
        }
        return block;
    }

    private static String patternSha256(int blocks) {
        MessageDigest digest = sha256();
        byte[] block = patternBlock();
        for (int i = 0; i < blocks; i++) {
            digest.update(block);
        }
        return hex(digest);
    }

    /** Reads up to {@code limit} bytes (to EOF if fewer) into the digest; returns the count. */
    private static long digestSome(InputStream in, MessageDigest digest, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        while (count < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - count));
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            count += n;
        }
        return count;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() > 100) {
                throw new IOException("no request line, got " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /**
     * Waits (at most 10 s) until 127.0.0.1:port is listening, by /proc/net/tcp rather than by connecting:
     * a one-off iperf3 server would take a probe connection for its one client.
     */
    private static void awaitListening(int port) throws IOException {
        String listening = String.format("0100007F:%04X 00000000:0000 0A", port);
        for (int attempt = 0; attempt < 100; attempt++) {
            if (Files.readString(Path.of("/proc/net/tcp")).contains(listening)) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("nothing listens on 127.0.0.1:" + port);
    }

    /** Waits (at most 10 s) for the server's handlers to finish: they end a moment after the child exits. */
    private static void awaitHandled(TcpServerFixture server, int count) {
        for (int attempt = 0; attempt < 100 && server.handled() + server.failures().size() < count; attempt++) {
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
