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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hostile and sloppy HTTP/1 that a server still answers, sent by a raw python socket client: the client
 * gets the same bytes with and without httptap, and httptap reports every exchange, with the server's
 * answer, never "(no response)" or a dropped exchange.
 */
class LenientHttpIT {
    private static final String HUGE_FIELDS = "X-Pad: " + "p".repeat(90) + "\\r\\n";

    /** Case name, then the request as a python bytes literal body; every request is for "/" + name. */
    private static final Map<String, String> REQUESTS = Map.ofEntries(
            Map.entry("space", "GET /space HTTP/1.1\\r\\nHost : HOST\\r\\n\\r\\n"),
            Map.entry("control", "GET /control HTTP/1.1\\r\\nHost: HOST\\r\\nX-Ctl: a\\x01b\\x7f\\r\\n\\r\\n"),
            Map.entry("huge", "GET /huge HTTP/1.1\\r\\nHost: HOST\\r\\n' + b'" + HUGE_FIELDS + "' * 1000 + b'\\r\\n"),
            Map.entry("many", "GET /many HTTP/1.1\\r\\nHost: HOST\\r\\n' + b'A: b\\r\\n' * 300 + b'\\r\\n"),
            Map.entry("fold", "GET /fold HTTP/1.1\\r\\nHost: HOST\\r\\nX-Long: one\\r\\n two\\r\\n\\r\\n"),
            Map.entry("xchunked", "POST /xchunked HTTP/1.1\\r\\nHost: HOST\\r\\nTransfer-Encoding: xchunked\\r\\n\\r\\n"
                    + "5\\r\\nhello\\r\\n0\\r\\n\\r\\n"),
            Map.entry("xchunkedresponse", "GET /xchunkedresponse HTTP/1.1\\r\\nHost: HOST\\r\\n\\r\\n"),
            Map.entry("samelength", "POST /samelength HTTP/1.1\\r\\nHost: HOST\\r\\nContent-Length: 2\\r\\n"
                    + "Content-Length: 2\\r\\n\\r\\nhi"),
            Map.entry("twolengths", "POST /twolengths HTTP/1.1\\r\\nHost: HOST\\r\\nContent-Length: 2\\r\\n"
                    + "Content-Length: 3\\r\\n\\r\\nhi!"),
            Map.entry("barelf", "GET /barelf HTTP/1.1\\nHost: HOST\\n\\n"),
            Map.entry("lowercase", "get /lowercase HTTP/1.1\\r\\nHost: HOST\\r\\n\\r\\n"),
            Map.entry("spaces", "GET  /spaces  HTTP/1.1 \\r\\nHost: HOST\\r\\n\\r\\n"),
            Map.entry("tabs", "GET\\t/tabs\\tHTTP/1.1\\r\\nHost: HOST\\r\\n\\r\\n"));

    /** Sends each case on its own connection, reads to the server's close, prints what came back. */
    private static final String CLIENT = """
            import socket, sys
            host, port = sys.argv[1], int(sys.argv[2])
            for name, request in CASES:
                s = socket.create_connection((host, port), timeout=20)
                s.sendall(request.replace(b'HOST', ('%s:%d' % (host, port)).encode()))
                received = b''
                while True:
                    data = s.recv(65536)
                    if not data:
                        break
                    received += data
                s.close()
                sys.stderr.write('CASE %s %r\\n' % (name, received))
            """;

    @Test
    void everyShapeIsAnsweredIdenticallyAndReportedOnce() throws IOException {
        String cases = REQUESTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> "('" + entry.getKey() + "', b'" + entry.getValue() + "')")
                .collect(Collectors.joining(", ", "CASES = [", "]\n"));
        String script = cases + CLIENT;
        try (TcpServerFixture server = TcpServerFixture.start(50, LenientHttpIT::answer)) {
            String port = String.valueOf(server.port());
            ProcessRun direct = Route.DIRECT.run("python3", "-c", script, "127.0.0.1", port);
            ProcessRun tapped = Route.TAPPED.run("python3", "-c", script, Httptap.HOST, port);
            List<String> lines = tapped.stdoutLines();
            assertAll(tapped.describe(),
                    () -> assertEquals(0, direct.exitCode(), direct.describe()),
                    () -> assertEquals(REQUESTS.size(), caseLines(direct).size(), direct.describe()),
                    () -> assertEquals(caseLines(direct), caseLines(tapped).stream()
                            .map(line -> line.replace(Httptap.HOST, "127.0.0.1")).toList(), "what the client got"),
                    () -> assertEquals(List.of(), server.failures(), "the server's failures"));
            for (String name : REQUESTS.keySet()) {
                String url = Route.TAPPED.baseUrl(server.port()) + "/" + name;
                String byAddress = "http://" + Httptap.HOST_ADDRESS + ":" + port + "/" + name;
                List<String> requestLines = lines.stream()
                        .filter(line -> line.startsWith("---> ") && (line.endsWith(" " + url) || line.endsWith(" " + byAddress)))
                        .toList();
                List<String> responseLines = lines.stream()
                        .filter(line -> line.matches("<--- \\d{3} (" + url + "|" + byAddress + ") .*")).toList();
                assertAll(name + "\n" + tapped.describe(),
                        () -> assertEquals(1, requestLines.size(), "request lines"),
                        () -> assertEquals(1, responseLines.size(), "response lines"),
                        () -> assertTrue(responseLines.get(0).startsWith("<--- " + STATUS.get(name) + " "),
                                responseLines.toString()));
            }
            assertTrue(lines.stream().noneMatch(line -> line.contains("(no response)") || line.contains("cannot follow")),
                    tapped.describe());
        }
    }

    private static List<String> caseLines(ProcessRun run) {
        return run.stderrLines().stream().filter(line -> line.startsWith("CASE ")).toList();
    }

    /** The status each case gets from {@link #answer}, which answers as strict servers do. */
    private static final Map<String, Integer> STATUS = Map.ofEntries(Map.entry("space", 400), Map.entry("control", 200),
            Map.entry("huge", 431), Map.entry("many", 200), Map.entry("fold", 200), Map.entry("xchunked", 501),
            Map.entry("xchunkedresponse", 200), Map.entry("samelength", 200), Map.entry("twolengths", 400),
            Map.entry("barelf", 200), Map.entry("lowercase", 405), Map.entry("spaces", 200), Map.entry("tabs", 200));

    /** Reads one head, answers by its path (as nginx or Go would), closes its side and drains the rest. */
    private static void answer(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        InputStream in = socket.getInputStream();
        String head = HttpHeads.read(in);
        String path = head.split("[ \t]+")[1];
        String response = switch (path) {
            case "/lowercase" -> fixed("405 Method Not Allowed", "", "methods are case-sensitive");
            case "/space" -> fixed("400 Bad Request", "", "bad field name");
            case "/huge" -> fixed("431 Request Header Fields Too Large", "", "");
            case "/xchunked" -> fixed("501 Not Implemented", "", "unknown coding");
            case "/twolengths" -> fixed("400 Bad Request", "", "two lengths");
            case "/control" -> fixed("200 OK", "X-Echo: \u0001ctl\r\n", "ok");
            case "/many" -> fixed("200 OK", "C: d\r\n".repeat(300), "many");
            case "/fold" -> fixed("200 OK", "X-Folded: three\r\n\tfour\r\n", "folded");
            case "/xchunkedresponse" -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
            case "/barelf" -> "HTTP/1.1 200 OK\nContent-Length: 2\nConnection: close\n\nlf";
            default -> fixed("200 OK", "", "fine"); // samelength, after its body
        };
        socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        socket.shutdownOutput();
        in.transferTo(OutputStream.nullOutputStream()); // no reset for unread bytes: the client closes first
    }

    private static String fixed(String status, String fields, String body) {
        return "HTTP/1.1 " + status + "\r\n" + fields + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body;
    }
}
