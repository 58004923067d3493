package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the command finds inside the tap: its own identity, the tap's DNS name, and 169.254.77.65 -> 127.0.0.1. */
class SandboxIT {
    private static final String UDP_ROUND_TRIP = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.settimeout(10)",
            "s.sendto(b'udp through the tap', (sys.argv[1], int(sys.argv[2])))",
            "reply, _ = s.recvfrom(65535)",
            "print(reply.decode())");
    /** Run as root of the namespaces, which may narrow its own port range; TIME-WAIT is reusable after 1 s. */
    private static final String THREE_CONNECTIONS_ON_TWO_PORTS = String.join("\n",
            "import socket, sys, time",
            "open('/proc/sys/net/ipv4/ip_local_port_range', 'w').write('40000 40001')",
            "for i in range(3):",
            "    if i == 2:",
            "        time.sleep(1.5)",
            "    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)",
            "    s.sendall(b'hello')",
            "    echo = b''",
            "    while len(echo) < 5:",
            "        echo += s.recv(5 - len(echo))",
            "    print(echo.decode(), flush=True)",
            "    s.close()");

    @Test
    void userAndGroupAreTheCallers() {
        ProcessRun direct = Route.DIRECT.run("sh", "-c", "id -u; id -g");
        ProcessRun tapped = Route.TAPPED.run("sh", "-c", "id -u; id -g");

        assertAll(tapped.describe(),
                () -> assertEquals(0, tapped.exitCode(), "exit code"),
                () -> assertEquals(direct.stdoutText(), tapped.programStdout(), "uid and gid"));
    }

    /** --uid and --gid as in the original: the ids the command sees inside, whoever runs httptap. */
    @Test
    void uidAndGidInsideAreTheOnesAskedFor() {
        ProcessRun root = Httptap.command("sh", "-c", "id -u; id -g").flags("--uid", "0", "--gid", "0").run();
        ProcessRun other = Httptap.command("id", "-u").flags("--uid", "1234").run();

        assertAll(root.describe() + "\n" + other.describe(),
                () -> assertEquals("0\n0\n", root.programStdout(), "--uid 0 --gid 0"),
                () -> assertEquals("1234\n", other.programStdout(), "--uid 1234"),
                () -> assertEquals(0, root.exitCode() + other.exitCode(), "exit codes"));
    }

    @Test
    void theTapsQueueHoldsABurstOfThousandsOfConnections() {
        // The kernel's default (500) drops SYNs when thousands of connections open at once.
        ProcessRun run = Route.TAPPED.run("ip", "-o", "link", "show", "dev", "httptap");

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertTrue(run.programStdout().contains(" qlen 16384"), "queue length"));
    }

    /**
     * Two ports, three connections the command closes first: the third must take a port whose connection is
     * in TIME-WAIT, as towards loopback, or connect() fails with EADDRNOTAVAIL (a command opening thousands of
     * short connections would instead crawl once its ports are all in TIME-WAIT).
     */
    @Test
    void aPortInTimeWaitIsReusedAsTowardsLoopback() throws IOException {
        try (TcpServerFixture server = TcpServerFixture.start(5, socket -> {
            socket.getOutputStream().write(socket.getInputStream().readNBytes(5));
            socket.getInputStream().readAllBytes(); // until the command's FIN: it closes first
        })) {
            ProcessRun run = Httptap.command("python3", "-c", THREE_CONNECTIONS_ON_TWO_PORTS, Httptap.HOST_ADDRESS,
                    String.valueOf(server.port())).flags("--uid", "0", "--gid", "0").run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals("hello\nhello\nhello\n", run.programStdout(), "the three echoes"),
                    () -> assertEquals(List.of(), server.failures(), "the server's failures"));
        }
    }

    @Test
    void tapHostNameResolvesToTheTapAddress() {
        // ahostsv4: with IPv6 in the tap the name has an AAAA record too, which "getent hosts" would prefer.
        ProcessRun run = Route.TAPPED.run("getent", "ahostsv4", Httptap.HOST);

        assertAll(run.describe(),
                () -> assertEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(List.of(Httptap.HOST_ADDRESS, "STREAM", Httptap.HOST),
                        List.of(run.programStdout().lines().findFirst().orElse("").trim().split("\\s+")),
                        "getent's first answer"));
    }

    @Test
    void pingReachesTheTapAddress() {
        ProcessRun run = Route.TAPPED.run("ping", "-c1", "-W2", Httptap.HOST_ADDRESS);
        assertEquals(0, run.exitCode(), run.describe());
    }

    @Test
    void tcpToTheTapAddressReachesLoopback() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = "http://" + Httptap.HOST_ADDRESS + ":" + server.port() + "/hello";
            ProcessRun run = Route.TAPPED.run("curl", "-s", url);

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.programStdout(), "body"),
                    () -> assertArrivedFromLoopback(server.peers()));
        }
    }

    @Test
    void udpToTheTapAddressReachesLoopback() {
        try (UdpEchoServer server = UdpEchoServer.start()) {
            ProcessRun run = Route.TAPPED.run("python3", "-c", UDP_ROUND_TRIP, Httptap.HOST_ADDRESS, String.valueOf(server.port()));

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals("udp through the tap\n", run.programStdout(), "the echoed datagram"),
                    () -> assertArrivedFromLoopback(server.peers()));
        } catch (IOException e) {
            throw new AssertionError("cannot start the UDP echo server", e);
        }
    }

    private static void assertArrivedFromLoopback(List<InetAddress> peers) {
        assertFalse(peers.isEmpty(), "the fixture saw no traffic");
        assertTrue(peers.stream().allMatch(InetAddress::isLoopbackAddress), "peers should be loopback: " + peers);
    }
}
