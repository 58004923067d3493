package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures reach the program exactly as they would without httptap, and print one error line, no exchange. */
class ConnectionErrorsIT {
    private static final String PYTHON_CONNECT =
            "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)";

    @Test
    void refusedConnectionLooksTheSameToCurl() throws IOException {
        int port = closedPort();
        ProcessRun direct = Route.DIRECT.run("curl", "-sS", Route.DIRECT.baseUrl(port) + "/");
        ProcessRun tapped = Route.TAPPED.run("curl", "-sS", Route.TAPPED.baseUrl(port) + "/");

        assertAll(tapped.describe(),
                () -> assertEquals(7, direct.exitCode(), "curl's exit code without httptap"),
                () -> assertEquals(direct.exitCode(), tapped.exitCode(), "curl's exit code"),
                () -> assertEquals(normalizedCurlError(direct, "127.0.0.1"), normalizedCurlError(tapped, Httptap.HOST)),
                () -> assertEquals(List.of("<--- ERROR " + Httptap.HOST + ":" + port + ": connection refused"),
                        tapped.stdoutLines(), "one line for both refused addresses (IPv6 and IPv4)"));
    }

    @Test
    void refusedConnectionIsConnectionRefusedToPython() throws IOException {
        int port = closedPort();
        ProcessRun direct = Route.DIRECT.run("python3", "-c", PYTHON_CONNECT, "127.0.0.1", String.valueOf(port));
        ProcessRun tapped = Route.TAPPED.run("python3", "-c", PYTHON_CONNECT, Httptap.HOST_ADDRESS, String.valueOf(port));

        assertAll(tapped.describe(),
                () -> assertEquals(lastLine(direct), lastLine(tapped), "python's exception"),
                () -> assertEquals("ConnectionRefusedError: [Errno 111] Connection refused", lastLine(tapped)),
                () -> assertEquals(direct.exitCode(), tapped.exitCode(), "exit code"),
                () -> assertEquals(List.of("<--- ERROR " + Httptap.HOST_ADDRESS + ":" + port + ": connection refused"),
                        tapped.stdoutLines(), "an address nobody looked up is shown as dialled"));
    }

    @Test
    void unknownHostIsCurlsResolveError() {
        ProcessRun run = Route.TAPPED.run("curl", "-sS", "http://nonexistent.invalid/");

        assertAll(run.describe(),
                () -> assertEquals(6, run.exitCode(), "curl's exit code for an unresolvable host"),
                () -> assertTrue(run.stderrText().contains("Could not resolve host: nonexistent.invalid"), "curl's message"),
                () -> assertEquals(List.of(), run.stdoutLines(), "stdout"));
    }

    /** A loopback port nothing listens on: bound once by the system, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** curl's message with the host name and the elapsed time taken out, which legitimately differ. */
    private static String normalizedCurlError(ProcessRun run, String host) {
        return run.stderrText().replace(host, "HOST").replaceAll("after \\d+ ms", "after N ms");
    }

    private static String lastLine(ProcessRun run) {
        List<String> lines = run.stderrLines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
