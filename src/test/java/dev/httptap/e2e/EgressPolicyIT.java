package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress policy (--allow, --deny, --policy, --deny-dns, --fail-on-blocked, --audit) with real clients
 * against local servers: what is denied looks like a closed port (curl exit 7, ECONNREFUSED for UDP) and
 * is never reached, and httptap says once what it blocked and by which rule.
 */
class EgressPolicyIT {
    private static final String HELLO = LocalHttpServer.HELLO_BODY;
    private static final String HOST = Httptap.HOST;

    @TempDir
    Path dir;
    private LocalHttpServer allowed;
    private LocalHttpServer other;

    @BeforeEach
    void startServers() throws IOException {
        allowed = LocalHttpServer.start();
        other = LocalHttpServer.start();
    }

    @AfterEach
    void stopServers() throws IOException {
        allowed.close();
        other.close();
    }

    private static String curl(LocalHttpServer server) {
        return "curl -sS http://" + HOST + ":" + server.port() + "/hello; echo curl=$?";
    }

    private static List<String> blockedLines(ProcessRun run) {
        return run.stdoutLines().stream().filter(line -> line.startsWith("<--- BLOCKED")).toList();
    }

    @Test
    void anAllowedHostWorksAndAnotherPortOfItIsRefused() {
        ProcessRun run = Httptap.command("sh", "-c", curl(allowed) + "; " + curl(other))
                .flags("--allow", HOST + ":" + allowed.port()).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(HELLO + "curl=0\ncurl=7\n", run.programStdout(), "the second port looks closed"),
                () -> assertEquals(List.of("<--- BLOCKED " + HOST + ":" + other.port() + " (no --allow matches)"),
                        blockedLines(run), "one line for curl's two addresses (IPv6, IPv4)"),
                () -> assertEquals(0, other.connectionsAccepted(), "never dialled"),
                () -> assertEquals(1, allowed.connectionsAccepted()));
    }

    @Test
    void aDenyGlobWinsOverAnAllow() {
        ProcessRun run = Httptap.command("sh", "-c", curl(allowed) + "; " + curl(other))
                .flags("--allow", HOST, "--deny", "host.*:" + other.port()).run();

        assertAll(run.describe(),
                () -> assertEquals(HELLO + "curl=0\ncurl=7\n", run.programStdout()),
                () -> assertEquals(List.of("<--- BLOCKED " + HOST + ":" + other.port() + " (--deny host.*:" + other.port() + ")"),
                        blockedLines(run)),
                () -> assertEquals(0, other.connectionsAccepted()));
    }

    /**
     * python looks {@code name} up, prints the address, GETs /hello from it on {@code allowed}'s port, then
     * connects to it on {@code other}'s port and prints "refused" if refused.
     */
    private Httptap resolveThenDial(String name) {
        String script = "import socket, sys, urllib.request\n"
                + "address = socket.getaddrinfo('" + name + "', None, socket.AF_INET)[0][4][0]\n"
                + "print(address)\n"
                + "print(urllib.request.urlopen('http://%s:%s/hello' % (address, sys.argv[1])).read().decode(), end='')\n"
                + "try:\n"
                + "    socket.create_connection((address, int(sys.argv[2])), timeout=10)\n"
                + "except ConnectionRefusedError as e:\n"
                + "    print('refused')\n";
        return Httptap.command("python3", "-c", script, String.valueOf(allowed.port()), String.valueOf(other.port()));
    }

    /** python looks the alias up, then connects to the address it got: the name still decides, and names the line. */
    @Test
    void aNameResolvedThenConnectedByAddressIsDecidedByTheName() {
        ProcessRun run = resolveThenDial(HOST).flags("--allow", HOST + ":" + allowed.port()).run();

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode()),
                () -> assertEquals(Httptap.HOST_ADDRESS + "\n" + HELLO + "refused\n", run.programStdout()),
                () -> assertEquals(List.of("<--- BLOCKED " + HOST + ":" + other.port() + " (no --allow matches)"),
                        blockedLines(run)),
                () -> assertTrue(run.stdoutLines().contains("<--- 200 http://" + Httptap.HOST_ADDRESS + ":" + allowed.port()
                        + "/hello (" + HELLO.length() + " bytes)"), "the exchange, by address"));
    }

    /**
     * A test resolver (mounted as httptap's resolv.conf, so nothing leaves the host) answers registry.test
     * with the host alias's address: the command dials that address, and the name its DNS gave it decides.
     */
    @Test
    void theNameTheCommandsDnsGaveTheAddressDecides() throws IOException {
        try (NxdomainResolver resolver = NxdomainResolver.startKnowing("registry.test",
                (Inet4Address) InetAddress.getByName(Httptap.HOST_ADDRESS))) {
            Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver " + resolver.address().getHostAddress() + "\n");
            ProcessRun run = resolveThenDial("registry.test").flags("--allow", "registry.test:" + allowed.port())
                    .wrappedIn("unshare", "-m", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"",
                            resolvConf.toString())
                    .run();

            assertAll(run.describe(),
                    () -> assertEquals(Httptap.HOST_ADDRESS + "\n" + HELLO + "refused\n", run.programStdout(),
                            "allowed as registry.test, though the policy does not name the alias"),
                    () -> assertEquals(List.of("<--- BLOCKED registry.test:" + other.port() + " (no --allow matches)"),
                            blockedLines(run)),
                    () -> assertEquals(0, other.connectionsAccepted()));
        }
    }

    /** The TCP connection is to an allowed address; the ClientHello names a denied server: a TLS alert. */
    @Test
    void httpsIsBlockedByTheServerNameOfItsClientHello() throws IOException {
        TestPki pki = TestPki.create();
        Path caFile = pki.writeCaPem(dir);
        try (LocalHttpServer tls = LocalHttpServer.startTls(pki.serverContext())) {
            String resolve = "other.test:" + tls.port() + ":" + Httptap.HOST_ADDRESS;
            ProcessRun run = Httptap.command("sh", "-c", "curl -sS https://" + HOST + ":" + tls.port() + "/hello; echo curl=$?;"
                            + " curl -sS --resolve " + resolve + " https://other.test:" + tls.port() + "/hello; echo curl=$?")
                    .flags("--ca-file", caFile.toString(), "--allow", HOST, "--dump-jsonl", dir.resolve("out.jsonl").toString())
                    .run();
            String records = Files.readString(dir.resolve("out.jsonl"), StandardCharsets.UTF_8);

            assertAll(run.describe(),
                    () -> assertEquals(HELLO + "curl=0\ncurl=35\n", run.programStdout()),
                    () -> assertTrue(run.stderrText().contains("alert access denied"), "curl's reason"),
                    () -> assertEquals(List.of("<--- BLOCKED other.test:" + tls.port()
                            + " (no --allow matches; TLS alert access_denied)"), blockedLines(run)),
                    () -> assertTrue(records.contains("{\"type\":\"blocked\",\"startedDateTime\":\""), records),
                    () -> assertTrue(records.contains("\"destination\":\"other.test:" + tls.port() + "\",\"protocol\":\"tls\","
                            + "\"rule\":\"no --allow matches\",\"refusal\":\"TLS alert access_denied\"}"), records));
        }
    }

    /**
     * Domain fronting: the ClientHello names an allowed server, the request inside asks for another host. The
     * request is checked too: a 403 inside TLS, and the server sees nothing of it.
     */
    @Test
    void aRequestInsideTlsForADeniedHostGets403() throws IOException {
        TestPki pki = TestPki.create();
        Path caFile = pki.writeCaPem(dir);
        try (LocalHttpServer tls = LocalHttpServer.startTls(pki.serverContext())) {
            ProcessRun run = Httptap.command("sh", "-c", "curl -sS --http1.1 -H 'Host: fronted.test' -w '%{http_code}\\n' https://"
                            + HOST + ":" + tls.port() + "/hello; echo curl=$?")
                    .flags("--ca-file", caFile.toString(), "--allow", HOST).run();

            assertAll(run.describe(),
                    () -> assertEquals("httptap: the egress policy blocks fronted.test:" + tls.port() + " (no --allow matches)\n403\ncurl=0\n",
                            run.programStdout()),
                    () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + tls.port() + " (no --allow matches; HTTP 403 Forbidden)"),
                            blockedLines(run)),
                    () -> assertEquals(List.of(), ProcessRun.exchangeLines(run.stdoutLines()).stream()
                            .filter(line -> !line.startsWith("<--- BLOCKED")).toList(), "no exchange reached the server"));
        }
    }

    /** Two requests on one kept-alive connection, the second for a denied host: 200, then 403 and the end of it. */
    @Test
    void aLaterRequestOnAKeptAliveConnectionIsCheckedToo() {
        String url = "http://" + HOST + ":" + allowed.port() + "/hello";
        ProcessRun run = Httptap.command("sh", "-c", "curl -sS -w '%{http_code} %{num_connects}\\n' " + url
                        + " --next -H 'Host: fronted.test' -w '%{http_code} %{num_connects}\\n' " + url + "; echo curl=$?")
                .flags("--allow", HOST).run();

        assertAll(run.describe(),
                () -> assertEquals(HELLO + "200 1\nhttptap: the egress policy blocks fronted.test:" + allowed.port()
                        + " (no --allow matches)\n403 0\ncurl=0\n", run.programStdout(), "the second request went on the first connection"),
                () -> assertEquals(1, allowed.connectionsAccepted()),
                () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + allowed.port() + " (no --allow matches; HTTP 403 Forbidden)"),
                        blockedLines(run)),
                () -> assertEquals(List.of("---> GET " + url, "<--- 200 " + url + " (15 bytes)"),
                        ProcessRun.exchangeLines(run.stdoutLines()).stream()
                                .filter(line -> !line.startsWith("<--- BLOCKED")).toList(), "only the first reached the server"));
    }

    /** Two requests written at once, the second for a denied host: the first still gets its answer, then the 403. */
    @Test
    void aDeniedRequestPipelinedAfterAnAllowedOneIsAnsweredAfterIt() {
        String script = "import re, socket, sys\n"
                + "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)\n"
                + "s.sendall(b'GET /hello HTTP/1.1\\r\\nHost: " + HOST + "\\r\\n\\r\\n'"
                + " b'GET /hello HTTP/1.1\\r\\nHost: fronted.test\\r\\n\\r\\n')\n"
                + "answer = b''\n"
                + "while True:\n"
                + "    chunk = s.recv(65536)\n"
                + "    if not chunk:\n"
                + "        break\n"
                + "    answer += chunk\n"
                + "print(re.findall(r'HTTP/1\\.1 \\d\\d\\d', answer.decode()))\n";
        ProcessRun run = Httptap.command("python3", "-c", script, HOST, String.valueOf(allowed.port())).flags("--allow", HOST).run();

        assertAll(run.describe(),
                () -> assertEquals("['HTTP/1.1 200', 'HTTP/1.1 403']\n", run.programStdout()),
                () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + allowed.port() + " (no --allow matches; HTTP 403 Forbidden)"),
                        blockedLines(run)));
    }

    /** The connection is to an allowed name; its request asks for another host: a 403, and the server sees nothing. */
    @Test
    void aPlainRequestForADeniedHostGets403() {
        ProcessRun run = Httptap.command("sh", "-c", "curl -sS -H 'Host: fronted.test' -w '%{http_code}\\n' http://"
                        + HOST + ":" + allowed.port() + "/hello")
                .flags("--allow", HOST).run();

        assertAll(run.describe(),
                () -> assertEquals("httptap: the egress policy blocks fronted.test:" + allowed.port() + " (no --allow matches)\n403\n",
                        run.programStdout()),
                () -> assertEquals(List.of("<--- BLOCKED fronted.test:" + allowed.port() + " (no --allow matches; HTTP 403 Forbidden)"),
                        blockedLines(run)),
                () -> assertEquals(List.of(), ProcessRun.exchangeLines(run.stdoutLines()).stream()
                        .filter(line -> !line.startsWith("<--- BLOCKED")).toList(), "no exchange reached the server"));
    }

    @Test
    void udpToADeniedDestinationIsRefused() throws IOException {
        try (UdpEchoServer echo = UdpEchoServer.start()) {
            String script = "import socket, sys\n"
                    + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(10)\n"
                    + "s.connect((sys.argv[1], int(sys.argv[2])))\n"
                    + "s.send(b'ping')\n"
                    + "try:\n"
                    + "    print(s.recv(100))\n"
                    + "except ConnectionRefusedError:\n"
                    + "    print('refused')\n";
            ProcessRun run = Httptap.command("python3", "-c", script, Httptap.HOST_ADDRESS, String.valueOf(echo.port()))
                    .flags("--deny", HOST + ":" + echo.port()).run();

            assertAll(run.describe(),
                    () -> assertEquals("refused\n", run.programStdout()),
                    () -> assertEquals(List.of("<--- BLOCKED " + HOST + ":" + echo.port()
                            + " (--deny " + HOST + ":" + echo.port() + "; UDP, ICMP port unreachable)"), blockedLines(run)),
                    () -> assertEquals(List.of(), echo.senders(), "nothing reached the server"));
        }
    }

    @Test
    void failOnBlockedExitsWith3OnlyWhenTheCommandSucceeded() {
        String allow = HOST + ":" + allowed.port();
        ProcessRun breach = Httptap.command("sh", "-c", curl(other)).flags("--allow", allow, "--fail-on-blocked").run();
        ProcessRun failing = Httptap.command("sh", "-c", curl(other) + "; exit 5").flags("--allow", allow, "--fail-on-blocked").run();
        ProcessRun clean = Httptap.command("sh", "-c", curl(allowed)).flags("--allow", allow, "--fail-on-blocked").run();
        ProcessRun notAsked = Httptap.command("sh", "-c", curl(other)).flags("--allow", allow).run();

        assertAll(breach.describe(),
                () -> assertEquals(3, breach.exitCode()),
                () -> assertTrue(breach.stderrText().contains("httptap: the command succeeded, but the egress policy blocked it"),
                        breach.stderrText()),
                () -> assertEquals(5, failing.exitCode(), "the command's own failure is its own"),
                () -> assertEquals(0, clean.exitCode(), clean::describe),
                () -> assertEquals(0, notAsked.exitCode(), notAsked::describe));
    }

    /** What one run reached, pasted back as a policy, lets the same destinations through and no other. */
    @Test
    void theAuditRoundTripsAsAPolicy() throws IOException {
        ProcessRun audited = Httptap.command("sh", "-c", curl(allowed) + "; " + curl(other)).flags("--audit").run();
        List<String> audit = audited.stdoutLines().stream()
                .dropWhile(line -> !line.startsWith("# httptap --audit")).toList();
        Path policy = Files.write(dir.resolve("reached.policy"), audit, StandardCharsets.UTF_8);

        try (LocalHttpServer third = LocalHttpServer.start()) {
            ProcessRun enforced = Httptap.command("sh", "-c", curl(allowed) + "; " + curl(other) + "; " + curl(third))
                    .flags("--policy", policy.toString()).run();

            assertAll(audited.describe() + "\n" + enforced.describe(),
                    () -> assertEquals(3, audit.size(), "a header and two destinations: " + audit),
                    () -> assertTrue(audit.stream().anyMatch(line -> line.matches("allow " + HOST + ":" + allowed.port()
                            + " +# tcp: 1 connection, [1-9]\\d* bytes sent, [1-9]\\d* received")), audit::toString),
                    () -> assertTrue(audit.stream().anyMatch(line -> line.startsWith("allow " + HOST + ":" + other.port() + " ")),
                            audit::toString),
                    () -> assertEquals(HELLO + "curl=0\n" + HELLO + "curl=0\ncurl=7\n", enforced.programStdout()),
                    () -> assertEquals(List.of("<--- BLOCKED " + HOST + ":" + third.port() + " (no --allow matches)"),
                            blockedLines(enforced)));
        }
    }

    @Test
    void denyDnsAnswersNxdomainForANameNoRuleAllows() {
        ProcessRun run = Httptap.command("sh", "-c", "curl -sS http://denied.invalid/; echo curl=$?")
                .flags("--allow", HOST, "--deny-dns").run();

        assertAll(run.describe(),
                () -> assertEquals("curl=6\n", run.programStdout(), "curl cannot resolve it"),
                () -> assertEquals(List.of("<--- BLOCKED denied.invalid (--deny-dns: no rule allows the name; DNS, NXDOMAIN)"),
                        blockedLines(run)));
    }

    @Test
    void aBadPolicyFileIsAUsageErrorNamingFileAndLine() throws IOException {
        Path policy = Files.write(dir.resolve("bad.policy"), List.of("# rules", "permit " + HOST), StandardCharsets.UTF_8);
        ProcessRun run = Httptap.command("true").flags("--policy", policy.toString()).run();

        assertAll(run.describe(),
                () -> assertEquals(2, run.exitCode()),
                () -> assertEquals("httptap: " + policy + ":2: 'permit' is neither 'allow' nor 'deny'", run.stderrText().strip()));
    }
}
