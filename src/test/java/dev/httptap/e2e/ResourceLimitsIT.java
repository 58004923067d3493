package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command piles up what a real network would hold: thousands of idle connections, thousands of UDP
 * flows, a slowloris; httptap keeps serving its ordinary requests meanwhile. Every load is bounded.
 */
class ResourceLimitsIT {
    /** The figure; fewer where the machine's hard descriptor limit leaves less (said in the message). */
    private static final int IDLE_CONNECTIONS = 20_000;
    private static final int UDP_FLOWS = 5_000;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    /** Accepts and holds every connection on an ephemeral port (printed first); answers a GET with "ok". */
    private static final String HOLDING_SERVER = """
            import asyncio, resource
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            async def handle(r, w):
                try:
                    if (await r.read(100)).startswith(b'GET'):
                        w.write(b'HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\nok')
                        await w.drain()
                    else:
                        await r.read()
                except Exception:
                    pass
                w.close()
            async def main():
                s = await asyncio.start_server(handle, '127.0.0.1', 0, backlog=4096)
                print(s.sockets[0].getsockname()[1], flush=True)
                async with s:
                    await s.serve_forever()
            asyncio.run(main())
            """;

    private static final String IDLE_CLIENT = """
            import resource, socket, sys
            host, port, wanted = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            held, failed = [], 0
            for i in range(wanted):
                try:
                    s = socket.create_connection((host, port), timeout=10)
                    held.append(s)
                except OSError:
                    failed += 1
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(b'GET / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n')
            print('held %d failed %d answer %r' % (len(held), failed, s.recv(100).split(b'\\r\\n')[0]))
            """;

    @Test
    void thousandsOfIdleConnectionsDoNotStopANewRequest() throws IOException, InterruptedException {
        int wanted = Math.min(IDLE_CONNECTIONS, (int) (hardDescriptorLimit() / 2) - 500); // httptap holds one each too
        Process server = new ProcessBuilder("python3", "-c", HOLDING_SERVER).redirectErrorStream(true).start();
        try {
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            ProcessRun run = Httptap.command("python3", "-c", IDLE_CLIENT, Httptap.HOST, port, String.valueOf(wanted))
                    .timeout(LIMIT).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode()),
                    () -> assertEquals("held " + wanted + " failed 0 answer b'HTTP/1.1 200 OK'\n", run.programStdout(),
                            wanted + " idle connections (the descriptor limit allows " + hardDescriptorLimit() + ")"));
        } finally {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void thousandsOfUdpFlowsAreEachAnsweredAndDnsStillWorks() throws IOException {
        String client = """
                import socket, sys
                host, port, flows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
                sockets, answered = [], 0
                for batch in range(0, flows, 250):  # paced, so that no socket buffer on the way overflows
                    for i in range(batch, min(batch + 250, flows)):
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        s.settimeout(5)
                        s.connect((host, port))
                        s.send(b'flow %d' % i)
                        sockets.append(s)
                    answered += sum(1 for i in range(batch, len(sockets)) if sockets[i].recv(100) == b'flow %d' % i)
                print('answered %d, dns %s' % (answered, socket.gethostbyname('host.httptap.local')))
                """;
        try (UdpEchoServer echo = UdpEchoServer.start()) {
            ProcessRun run = Httptap.command("python3", "-c", client, Httptap.HOST_ADDRESS, String.valueOf(echo.port()),
                    String.valueOf(UDP_FLOWS)).timeout(LIMIT).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode()),
                    () -> assertEquals("answered " + UDP_FLOWS + ", dns " + Httptap.HOST_ADDRESS + "\n", run.programStdout()));
        }
    }

    @Test
    void aSlowlorisDoesNotDelayOtherRequests() throws IOException {
        String client = """
                import socket, sys, time, urllib.request
                host, port = sys.argv[1], int(sys.argv[2])
                crawling = [socket.create_connection((host, port)) for _ in range(200)]
                for s in crawling:
                    s.sendall(b'GET /hello HTTP/1.1\\r\\nHost: h\\r\\n')
                end = time.time() + 3
                line = 0
                while time.time() < end:
                    for s in crawling:
                        s.sendall(b'X-%d: a\\r\\n' % line)
                    line += 1
                    time.sleep(0.1)
                    if line == 10:
                        body = urllib.request.urlopen('http://%s:%d/hello' % (host, port), timeout=10).read()
                        print('meanwhile: %s' % body.decode().strip())
                """;
        try (LocalHttpServer server = LocalHttpServer.start()) {
            ProcessRun run = Httptap.command("python3", "-c", client, Httptap.HOST, String.valueOf(server.port()))
                    .timeout(LIMIT).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode()),
                    () -> assertEquals("meanwhile: " + LocalHttpServer.HELLO_BODY.strip() + "\n", run.programStdout()));
        }
    }

    /** The hard RLIMIT_NOFILE of processes started from here (the test's own, inherited). */
    private static long hardDescriptorLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE / 4 : Long.parseLong(hard);
            }
        }
        throw new IOException("no 'Max open files' in /proc/self/limits");
    }
}
