package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPv6 inside the tap: the command has an IPv6 address and default route, the IPv6 host alias reaches the
 * host's ::1 over TCP and UDP, host.httptap.local has that alias as its AAAA record, and ping -6 is answered.
 * Needs ::1 on this machine, which most fixtures here bind to, and root for the tests that make a network
 * namespace standing for a host without IPv6 (or without an IPv6 route).
 */
class Ipv6IT {
    /** The IPv6 address of host.httptap.local; it reaches the host's ::1. */
    static final String HOST_ADDRESS_V6 = "fd77:6874:7470::a9fe:4d41";
    private static final String UDP_ROUND_TRIP = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
            "s.settimeout(10)",
            "s.sendto(b'udp over ipv6', (sys.argv[1], int(sys.argv[2])))",
            "reply, _ = s.recvfrom(65535)",
            "print(reply.decode())");
    private static final String PYTHON_GET = String.join("\n",
            "import sys, urllib.request",
            "print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode(), end='')");
    private static final String PYTHON_CONNECT = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET6)",
            "s.settimeout(10)",
            "s.connect((sys.argv[1], int(sys.argv[2])))");

    /**
     * Runs "$@" (httptap and its command) in a new network namespace of the test's own, with only a loopback
     * and a web server on 127.0.0.1:8080 serving {@code $2}. {@code $1} says what IPv6 this "host" has:
     * "none" (disable_ipv6 everywhere) or "loopback" (::1 but no route anywhere).
     */
    private static final String HOST_NAMESPACE = String.join("\n",
            "ip link set lo up",
            "if [ \"$1\" = none ]; then echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; fi",
            "python3 -m http.server 8080 --bind 127.0.0.1 --directory \"$2\" >/dev/null 2>&1 &",
            "server=$!",
            "for attempt in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:8080/ && break; sleep 0.05; done",
            "shift 2",
            "\"$@\"",
            "status=$?",
            "kill $server",
            "exit $status");
    /** A name with an AAAA record the host cannot reach, listed first, and the IPv4 host alias. */
    private static final String DUAL_STACK_CURL = "curl -sS --resolve dual.test:8080:[2001:db8::1],"
            + Httptap.HOST_ADDRESS + " http://dual.test:8080/hello.txt";

    @TempDir
    static Path site;
    private static InetAddress loopback6;

    @BeforeAll
    static void hostHasIpv6Loopback() throws IOException {
        loopback6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, loopback6)) {
            assertTrue(probe.getLocalPort() > 0);
        }
        Files.writeString(site.resolve("hello.txt"), "hello from a host namespace\n");
    }

    @Test
    void theCommandHasAnIpv6AddressAndDefaultRoute() {
        ProcessRun run = Route.TAPPED.run("sh", "-c", "ip -6 addr show dev httptap; ip -6 route show default");

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.programStdout().contains("inet6 fd77:6874:7470::100/64 scope global"), "address"),
                () -> assertTrue(run.programStdout().contains("default via fd77:6874:7470::1 dev httptap"), "route"));
    }

    @Test
    void tapHostNameHasTheIpv6AliasAsItsAaaaRecord() {
        ProcessRun run = Route.TAPPED.run("getent", "hosts", Httptap.HOST);

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(List.of(HOST_ADDRESS_V6, Httptap.HOST),
                        List.of(run.programStdout().trim().split("\\s+")), "getent prefers IPv6, as for localhost"));
    }

    @Test
    void curlToTheIpv6AliasReachesTheHostsIpv6Loopback() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start(loopback6)) {
            String url = "http://[" + HOST_ADDRESS_V6 + "]:" + server.port() + "/hello";
            ProcessRun run = Route.TAPPED.run("curl", "-6", "-sS", url);

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"),
                    () -> assertEquals(List.of("---> GET " + url, "<--- 200 " + url + " (15 bytes)"),
                            ProcessRun.exchangeLines(run.stdoutLines()), "exchange lines"),
                    () -> assertArrivedFromIpv6Loopback(server.peers()));
        }
    }

    @Test
    void curlDashSixToTheHostNameUsesItsAaaaRecord() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start(loopback6)) {
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/hello";
            ProcessRun run = Route.TAPPED.run("curl", "-6", "-sS", url);

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"),
                    () -> assertArrivedFromIpv6Loopback(server.peers()));
        }
    }

    @Test
    void pythonReachesTheIpv6Alias() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start(loopback6)) {
            String url = "http://[" + HOST_ADDRESS_V6 + "]:" + server.port() + "/hello";
            ProcessRun run = Route.TAPPED.run("python3", "-c", PYTHON_GET, url);

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"),
                    () -> assertArrivedFromIpv6Loopback(server.peers()));
        }
    }

    @Test
    void dualStackCurlToAnIpv4OnlyServerFallsBackFromTheAaaaRecord() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + Httptap.HOST + ":" + server.port() + "/hello";
            ProcessRun run = Route.TAPPED.run("curl", "-sS", url);

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"));
        }
    }

    @Test
    void refusedIpv6ConnectionIsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback6)) {
            port = probe.getLocalPort();
        }
        ProcessRun run = Route.TAPPED.run("python3", "-c", PYTHON_CONNECT, HOST_ADDRESS_V6, String.valueOf(port));

        List<String> errors = run.stderrLines();
        assertAll(run.describe(),
                () -> assertEquals(1, run.exitCode(), "exit code"),
                () -> assertEquals("ConnectionRefusedError: [Errno 111] Connection refused",
                        errors.isEmpty() ? "" : errors.get(errors.size() - 1)));
    }

    @Test
    void udpOverIpv6ReachesTheHostsIpv6Loopback() throws IOException {
        try (UdpEchoServer server = UdpEchoServer.start(loopback6)) {
            ProcessRun run = Route.TAPPED.run("python3", "-c", UDP_ROUND_TRIP, HOST_ADDRESS_V6,
                    String.valueOf(server.port()));

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals("udp over ipv6\n", run.programStdout(), "the echoed datagram"),
                    () -> assertArrivedFromIpv6Loopback(server.peers()));
        }
    }

    @Test
    void pingSixToTheHostNameIsAnswered() {
        ProcessRun run = Route.TAPPED.run("ping", "-6", "-c1", "-W2", Httptap.HOST);

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.programStdout().contains("1 received"), "one reply"));
    }

    @Test
    void onAHostWithoutIpv6TheCommandHasIpv4OnlyAndDualStackClientsWork() {
        ProcessRun run = inHostNamespace("none", "ip -6 addr show dev httptap; getent hosts " + Httptap.HOST + "; "
                + DUAL_STACK_CURL);

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertFalse(run.programStdout().contains("inet6"), "no IPv6 address on the TUN device"),
                () -> assertTrue(run.programStdout().contains(Httptap.HOST_ADDRESS + " "), "only the A record"),
                () -> assertTrue(run.programStdout().endsWith("hello from a host namespace\n"), "body"));
    }

    @Test
    void onAHostWithoutAnIpv6RouteDialsFailAsUnreachableAndDualStackClientsFallBack() {
        ProcessRun run = inHostNamespace("loopback", DUAL_STACK_CURL + " -v");

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.stderrText().contains("connect to 2001:db8::1 port 8080 failed: No route to host"),
                        "the IPv6 attempt failed as unreachable"),
                () -> assertTrue(run.programStdout().endsWith("hello from a host namespace\n"), "body"));
    }

    private static ProcessRun inHostNamespace(String ipv6, String script) {
        return Httptap.command("sh", "-c", script)
                .wrappedIn("unshare", "--net", "sh", "-c", HOST_NAMESPACE, "sh", ipv6, site.toString())
                .run();
    }

    private static void assertArrivedFromIpv6Loopback(List<InetAddress> peers) {
        assertFalse(peers.isEmpty(), "the fixture saw no traffic");
        assertTrue(peers.stream().allMatch(peer -> peer instanceof Inet6Address && peer.isLoopbackAddress()),
                "peers should be ::1: " + peers);
    }
}
