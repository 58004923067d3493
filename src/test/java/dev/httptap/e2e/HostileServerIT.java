package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Servers that break HTTP/1 in the ways real ones do: a malformed status line, a body shorter than its
 * Content-Length, Content-Length beside chunked, a bad chunk size, a reset mid-body, a head that never
 * ends, a stall. A raw python client reads each to its end; it must get the same bytes and the same kind of
 * end (EOF, reset, time-out) with and without httptap, and httptap prints one line for each exchange.
 */
class HostileServerIT {
    /** Each case's path; the server misbehaves by path. */
    private static final List<String> CASES = List.of("badstatus", "nothttp", "shortbody", "lengthandchunked",
            "badchunk", "resetmidbody", "endlesshead", "stall");
    /** How long the client waits for more bytes before it calls the case a time-out. */
    private static final int CLIENT_TIMEOUT_SECONDS = 2;
    /** How long the endless head goes on, and the stalling server waits, before closing. */
    private static final long HOSTILE_MILLIS = 3_000;

    /** Sends each case on its own connection, reads to the end, prints what came back and how it ended. */
    private static final String CLIENT = """
            import hashlib, socket, sys
            host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
            for name in sys.argv[4:]:
                s = socket.create_connection((host, port), timeout=timeout)
                s.sendall(('GET /%s HTTP/1.1\\r\\nHost: %s:%d\\r\\n\\r\\n' % (name, host, port)).encode())
                received, end = b'', 'eof'
                try:
                    while True:
                        data = s.recv(65536)
                        if not data:
                            break
                        received += data
                except ConnectionResetError:
                    end = 'reset'
                except socket.timeout:
                    end = 'timeout'
                s.close()
                shown = received if len(received) < 200 else hashlib.sha256(received).hexdigest()
                sys.stderr.write('CASE %s %s %d %r\\n' % (name, end, len(received), shown))
            """;

    @Test
    void theCommandGetsWhatTheServerSentAndEachExchangeIsReportedOnce() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(50, HostileServerIT::answer)) {
            String port = String.valueOf(server.port());
            String timeout = String.valueOf(CLIENT_TIMEOUT_SECONDS);
            ProcessRun direct = Route.DIRECT.run(command("127.0.0.1", port, timeout));
            ProcessRun tapped = Route.TAPPED.run(command(Httptap.HOST, port, timeout));
            List<String> lines = tapped.stdoutLines();
            assertAll(tapped.describe(),
                    () -> assertEquals(0, direct.exitCode(), direct.describe()),
                    () -> assertEquals(0, tapped.exitCode()),
                    () -> assertEquals(CASES.size(), caseLines(direct).size(), direct.describe()),
                    () -> assertEquals(caseLines(direct), caseLines(tapped), "what the client got, and how it ended"));
            assertTrue(lines.stream().noneMatch(line -> line.contains("(no response)")), "every case had an answer");
            for (String name : CASES) {
                String url = Route.TAPPED.baseUrl(server.port()) + "/" + name;
                List<String> answers = lines.stream().filter(line -> line.startsWith("<--- ")
                        && (line.contains(url + " ") || line.contains(url + ":") || line.endsWith(url))).toList();
                assertAll(name + "\n" + tapped.describe(),
                        () -> assertEquals(1, lines.stream().filter(line -> line.equals("---> GET " + url)).count(),
                                "request lines"),
                        () -> assertEquals(1, answers.size(), "one line for what became of the exchange: " + answers));
            }
        }
    }

    private static String[] command(String host, String port, String timeout) {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", CLIENT, host, port, timeout));
        command.addAll(CASES);
        return command.toArray(String[]::new);
    }

    private static List<String> caseLines(ProcessRun run) {
        return run.stderrLines().stream().filter(line -> line.startsWith("CASE ")).collect(Collectors.toList());
    }

    /** Reads the request head, then misbehaves as its path says. */
    private static void answer(Socket socket) throws IOException, InterruptedException {
        socket.setSoTimeout(20_000);
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        String path = head.substring(head.indexOf(' ') + 2, head.indexOf(' ', head.indexOf(' ') + 1));
        OutputStream out = socket.getOutputStream();
        switch (path) {
            case "badstatus" -> write(out, "HTTP/1.1 abc\r\nContent-Length: 2\r\n\r\nhi");
            case "nothttp" -> write(out, "HTTQ/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
            case "shortbody" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
            case "lengthandchunked" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            case "badchunk" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
            case "resetmidbody" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
                out.flush();
                Thread.sleep(200); // the bytes reach the client before the reset
                socket.setSoLinger(true, 0);
                socket.close();
                return;
            }
            case "endlesshead" -> {
                write(out, "HTTP/1.1 200 OK\r\n");
                long end = System.currentTimeMillis() + HOSTILE_MILLIS;
                for (int i = 0; i < 4096 && System.currentTimeMillis() < end; i++) {
                    write(out, "X-More-" + i + ": " + "m".repeat(1000) + "\r\n");
                }
            }
            case "stall" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
                out.flush();
                Thread.sleep(HOSTILE_MILLIS);
            }
            default -> throw new IOException("no such case: " + path);
        }
        socket.shutdownOutput();
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                return head.toString();
            }
        }
        throw new IOException("the connection ended inside a head");
    }
}
