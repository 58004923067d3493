package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients through the tap: a raw python client (hostile-client.py) writes exact bytes (request
 * smuggling shapes, bare CR and LF, huge URLs, odd request lines, WebSocket garbage, HTTP/2 CONTINUATION and
 * rapid-reset floods, HPACK abuse), one connection per case, to a server that records what it receives. The
 * server must receive the same bytes with and without httptap, and the client must get the same answers;
 * httptap must print a line for each case, stay within a memory bound through the floods, and still relay
 * and report a normal request after them.
 */
class HostileClientIT {
    private static final List<String> CASES = List.of("clte", "twote", "tefold", "barecr", "barelf", "url64k", "url1m",
            "smuggle", "lower", "tabs", "spaces", "absolute", "websocket", "continuation", "reset", "hpack", "normal");
    /** Generous: httptap idles at about 100 MB; a flood kept in memory would take several times that. */
    private static final long MAX_RSS_BYTES = 400L * 1024 * 1024;
    /** The client's Host, without a port: the lines add the connection's. */
    private static final String HOST = "http://hostile.test:";

    @Test
    void hostileBytesReachTheServerUnchangedAndAreReportedWithinAMemoryBound(@TempDir Path dir) throws IOException {
        Path client = NodeHttp2Server.script(dir, "hostile-client.py");
        List<String> direct;
        List<String> directAnswers;
        try (RecordingServer server = RecordingServer.start()) {
            ProcessRun run = Route.DIRECT.run(command(client, "127.0.0.1", server.port()));
            assertEquals(0, run.exitCode(), run.describe());
            direct = server.recordings();
            directAnswers = caseLines(run);
        }
        try (RecordingServer server = RecordingServer.start()) {
            RunningCommand running = Httptap.command(command(client, Httptap.HOST, server.port())).start();
            String url = HOST + server.port();
            long maxRss = RssSampler.maxWhileAlive(running);
            ProcessRun tapped = running.awaitExit(E2eSettings.runTimeout());
            List<String> out = tapped.stdoutLines();
            assertAll(tapped.describe().substring(0, Math.min(20_000, tapped.describe().length())),
                    () -> assertEquals(0, tapped.exitCode(), "exit code"),
                    () -> assertEquals(directAnswers, caseLines(tapped), "what the client got"),
                    () -> assertEquals(direct, server.recordings(), "what the server got"),
                    () -> assertTrue(maxRss > 0 && maxRss < MAX_RSS_BYTES, "httptap's VmRSS peaked at " + maxRss),
                    () -> assertTrue(out.contains("---> GET " + url + "/normal"), "the normal request after the floods"),
                    () -> assertTrue(out.stream().anyMatch(line -> line.startsWith("<--- 200 " + url + "/normal ")),
                            "its response"),
                    () -> assertTrue(out.stream().noneMatch(line -> line.contains("internal error")), "no internal error"),
                    () -> assertTrue(tapped.stderrLines().stream().noneMatch(line -> line.contains("internal error")),
                            "no internal error on stderr"));
            for (String name : CASES.subList(0, CASES.indexOf("continuation"))) {
                assertTrue(out.stream().anyMatch(line -> line.contains("/" + name)), name + ": a line for the case");
            }
            String connectionLine = "<--- ERROR http://" + Httptap.HOST_ADDRESS + ":" + server.port() + ": ";
            String lost = connectionLine + "cannot follow the connection: ";
            assertAll(tapped.describe().substring(0, Math.min(20_000, tapped.describe().length())),
                    () -> assertTrue(out.contains(lost + "client: a header block on stream 1 is larger than 262144 bytes"),
                            "the CONTINUATION flood"),
                    () -> assertEquals(100, out.stream().filter(line -> line.equals("---> GET " + url + "/reset")).count(),
                            "the first streams of the rapid reset"),
                    () -> assertTrue(out.contains(connectionLine + "the client reset more than 100 streams before their "
                            + "response (an HTTP/2 rapid reset?): the rest of those are counted, not shown"), "the rest announced"),
                    () -> assertTrue(out.contains(connectionLine + "19900 more streams reset by the client before their "
                            + "response were not shown"), "and counted"),
                    () -> assertTrue(out.contains("---> GET " + url + "/hpack"), "the request with a 100 kB literal"),
                    () -> assertTrue(out.contains("<--- ERROR " + url + "/hpack: cannot follow the exchange: client: HPACK: "
                            + "Unknown index 2097278"), "an index past the table ends the open stream"));
        }
    }

    private static String[] command(Path client, String host, int port) {
        List<String> command = new ArrayList<>(List.of("python3", client.toString(), host, String.valueOf(port)));
        command.addAll(CASES);
        return command.toArray(String[]::new);
    }

    private static List<String> caseLines(ProcessRun run) {
        return run.stderrLines().stream().filter(line -> line.startsWith("CASE ")).toList();
    }

    /**
     * Records each connection (length and SHA-256 of the bytes, in order) until the client's FIN, then
     * closes: the client's next case starts only after that, so recordings come in case order. It answers
     * an HTTP/1 head with 200 (101 to a WebSocket upgrade) as it ends, a start line still going after
     * 128 KiB with 414; to the HTTP/2 preface it sends an empty SETTINGS and nothing more.
     */
    private static final class RecordingServer implements AutoCloseable {
        private static final int TOO_LONG = 128 * 1024;
        private static final byte[] H2_PREFACE_START = "PRI * HTTP/2.0".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

        private final List<String> recordings = new CopyOnWriteArrayList<>();
        private final TcpServerFixture fixture;

        private RecordingServer() throws IOException {
            fixture = TcpServerFixture.start(50, this::record);
        }

        static RecordingServer start() throws IOException {
            return new RecordingServer();
        }

        int port() {
            return fixture.port();
        }

        List<String> recordings() {
            List<String> all = new ArrayList<>(recordings);
            all.addAll(fixture.failures());
            return all;
        }

        private void record(Socket socket) throws IOException {
            socket.setSoTimeout(120_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            MessageDigest digest = sha256();
            byte[] start = new byte[TOO_LONG + 64 * 1024];
            int kept = 0;
            long length = 0;
            boolean answered = false;
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                length += n;
                int copy = Math.min(n, start.length - kept);
                System.arraycopy(buffer, 0, start, kept, copy);
                int scanFrom = Math.max(0, kept - 3);
                kept += copy;
                if (!answered) {
                    byte[] answer = answer(start, scanFrom, kept);
                    if (answer != null) {
                        out.write(answer);
                        out.flush();
                        answered = true;
                    }
                }
            }
            recordings.add(length + " " + HexFormat.of().formatHex(digest.digest()));
            socket.shutdownOutput();
        }

        /** The answer due once {@code bytes[0, end)} arrived; null while none is. */
        private static byte[] answer(byte[] bytes, int scanFrom, int end) {
            if (startsWith(bytes, end, H2_PREFACE_START)) {
                return EMPTY_SETTINGS;
            }
            int headEnd = headEnd(bytes, scanFrom, end);
            if (headEnd < 0) {
                return end >= TOO_LONG ? response("414 URI Too Long", "") : null;
            }
            String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
            if (head.contains("\r\nUpgrade: websocket\r\n")) {
                return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
            return response("200 OK", "head of " + headEnd + " bytes\n");
        }

        private static byte[] response(String status, String body) {
            return ("HTTP/1.1 " + status + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        /** The end of the first head (after its blank line, CRLF or bare LF) within the bytes, or -1. */
        private static int headEnd(byte[] bytes, int from, int end) {
            for (int i = Math.max(1, from); i < end; i++) {
                if (bytes[i] == '\n' && (bytes[i - 1] == '\n' || (i >= 2 && bytes[i - 1] == '\r' && bytes[i - 2] == '\n'))) {
                    return i + 1;
                }
            }
            return -1;
        }

        private static boolean startsWith(byte[] bytes, int end, byte[] prefix) {
            if (end < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            fixture.close();
        }
    }

    /** Samples the VmRSS of httptap's JVM (a java process under the launcher) from /proc, every 100 ms. */
    private static final class RssSampler {
        private static final long INTERVAL_MILLIS = 100;

        private RssSampler() {}

        /** The highest VmRSS seen in bytes, sampling until the run ends (bounded by the run's own timeout). */
        static long maxWhileAlive(RunningCommand running) {
            AtomicLong max = new AtomicLong();
            long polls = E2eSettings.runTimeout().toMillis() / INTERVAL_MILLIS;
            for (long i = 0; i < polls && running.isAlive(); i++) {
                ProcessHandle.of(running.pid()).ifPresent(launcher -> Stream.concat(Stream.of(launcher), launcher.descendants())
                        .filter(process -> process.info().command().orElse("").endsWith("/java"))
                        .forEach(java -> max.accumulateAndGet(rss(java.pid()), Math::max)));
                try {
                    Thread.sleep(INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return max.get();
        }

        private static long rss(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the process ended between listing and reading
            }
            return 0;
        }
    }
}
