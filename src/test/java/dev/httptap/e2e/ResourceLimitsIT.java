package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Load a command can put on httptap, and recordings that cannot be written: the command's traffic keeps
 * flowing, httptap's memory and threads stay bounded, a recording failure is reported once, and httptap
 * exits with the command's code.
 */
class ResourceLimitsIT {
    private static final int IDLE_CONNECTIONS = 20_000;
    /** Descriptors each process (client, httptap, the test's server) keeps for itself besides the connections. */
    private static final int DESCRIPTOR_RESERVE = 500;
    /** README: at most 8,192 UDP flows are open at once; a new one beyond closes the one idle longest. */
    private static final int UDP_FLOW_CAP = 8192;
    private static final int EVICTED_FLOWS = 100;
    private static final long RSS_LIMIT_KIB = 400 * 1024;
    /** An idle run has about 20 threads; a thread per connection or flow would be thousands. */
    private static final int THREAD_LIMIT = 40;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void twentyThousandIdleConnectionsLeaveTheCommandsTrafficFlowing() throws IOException {
        long descriptorLimit = hardDescriptorLimit();
        int count = (int) Math.min(IDLE_CONNECTIONS, descriptorLimit - DESCRIPTOR_RESERVE);
        String reach = count + " connections (" + IDLE_CONNECTIONS + " asked; every process here has a hard limit of "
                + descriptorLimit + " descriptors, which only CAP_SYS_RESOURCE could raise)";
        try (HoldingServer holder = HoldingServer.start(4);
             LocalHttpServer web = LocalHttpServer.start();
             Checkpoints checkpoints = Checkpoints.create()) {
            String ports = holder.ports().stream().map(String::valueOf).collect(Collectors.joining(","));
            String whileHeld = "echo holding; " + checkpoints.await("measured") + "; curl -s "
                    + Route.TAPPED.baseUrl(web.port()) + "/hello";
            RunningCommand running = Httptap.command("sh", "-c", "python3 " + E2eSettings.script("idle_connections.py")
                    + " " + Httptap.HOST + " " + ports + " " + count + " 45 '" + whileHeld + "'; exit 5").start();

            running.awaitStdout("holding\n", LIMIT);
            JvmGauge holding = JvmGauge.of(running);
            checkpoints.pass("measured");
            ProcessRun run = running.awaitExit(LIMIT);

            assertAll(reach + ": " + holding + "\n" + run.describe(),
                    () -> assertEquals(5, run.exitCode(), "httptap exits with the command's code"),
                    () -> assertEquals("limit " + descriptorLimit + " established " + count + " of " + count
                            + ", failed 0 []\n"
                            + "holding\n" + LocalHttpServer.HELLO_BODY, run.programStdout(),
                            "every connection was established, and curl still worked while they were held"),
                    () -> assertTrue(holding.descriptors() > count, "httptap held a socket per connection"),
                    () -> assertTrue(holding.residentKib() < RSS_LIMIT_KIB, "resident memory stayed bounded"),
                    () -> assertTrue(holding.threads() < THREAD_LIMIT, "no thread per connection"));
        }
    }

    @Test
    void udpFlowsBeyondTheCapEvictTheOneIdleLongestAndDnsStillWorks() throws IOException {
        int count = UDP_FLOW_CAP + EVICTED_FLOWS;
        try (UdpEchoServer echo = UdpEchoServer.start()) {
            RunningCommand running = Httptap.command("sh", "-c", "python3 " + E2eSettings.script("udp_flows.py") + " "
                    + Httptap.HOST + " " + echo.port() + " " + count + " 40 && getent ahostsv4 " + Httptap.HOST
                    + " | head -n 1 && exit 6").start();
            ProcessRun run = running.awaitExit(LIMIT);

            List<InetSocketAddress> senders = echo.senders();
            assertAll(run.describe(),
                    () -> assertEquals(6, run.exitCode(), "httptap exits with the command's code"),
                    () -> assertTrue(run.programStdout().matches(Pattern.quote("echoed " + count + " of " + count
                            + "; again: flow 0 yes, last flow yes\n" + Httptap.HOST_ADDRESS) + " +STREAM "
                            + Pattern.quote(Httptap.HOST) + "\n"), "every datagram was echoed, and DNS still answered"),
                    () -> assertEquals(count + 2, senders.size(), "datagrams the server received"),
                    () -> assertTrue(eachFlowHadASocketOfItsOwn(senders.subList(0, count)),
                            "each flow had a socket of its own: " + senders.subList(0, count)),
                    () -> assertNotEquals(senders.get(0), senders.get(count),
                            "flow 0, idle longest, was closed: its next datagram came from a new socket"),
                    () -> assertEquals(senders.get(count - 1), senders.get(count + 1),
                            "the newest flow was kept: its next datagram came from the same socket"));
        }
    }

    /**
     * Whether no flow's datagrams came from the socket of a flow still open beside it (the cap's worth before
     * it): an evicted flow's socket is closed, and the kernel may give its port to a later flow.
     */
    private static boolean eachFlowHadASocketOfItsOwn(List<InetSocketAddress> senders) {
        Map<InetSocketAddress, Integer> open = new HashMap<>();
        for (int i = 0; i < senders.size(); i++) {
            if (i >= UDP_FLOW_CAP) {
                open.merge(senders.get(i - UDP_FLOW_CAP), -1, (a, b) -> a + b == 0 ? null : a + b);
            }
            if (open.merge(senders.get(i), 1, Integer::sum) > 1) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aSlowlorisClientDoesNotHoldUpOtherRequests() throws IOException {
        try (LocalHttpServer web = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(web.port()) + "/hello";
            ProcessRun run = Httptap.command("sh", "-c", "python3 " + E2eSettings.script("slowloris.py") + " "
                    + Httptap.HOST + " " + web.port() + " 200 0.1 3 & sleep 1; curl -s " + url + "; wait; exit 4")
                    .run();

            assertAll(run.describe(),
                    () -> assertEquals(4, run.exitCode(), "httptap exits with the command's code"),
                    () -> assertTrue(run.programStdout().matches("(?s)" + LocalHttpServer.HELLO_BODY
                            + "slowloris: 200 connections, \\d+ bytes sent, 0 reset or closed\n"),
                            "curl got its answer while the slow heads trickled in, and none of them was cut"));
        }
    }

    /** A recording target that takes no bytes: the run goes on, says so once, and keeps the command's code. */
    @ParameterizedTest
    @ValueSource(strings = {"--dump-har /dev/full", "--dump-jsonl /dev/full", "--dump-har -", "--dump-jsonl -"})
    void aRecordingThatCannotBeWrittenIsReportedOnce(String recording) throws IOException {
        try (LocalHttpServer web = LocalHttpServer.start()) {
            String curl = "curl -s -o /dev/null -w '%{http_code}\\n' " + Route.TAPPED.baseUrl(web.port())
                    + "/hello >&2";
            String command = "sleep 1; " + curl + "; " + curl + "; exit 7";
            String target = recording.replace(" -", " /dev/stdout");
            // httptap's standard output is a pipe whose reader has already gone
            ProcessRun run = RunningCommand.run(LIMIT, List.of("bash", "-c",
                    "\"$0\" " + target + " -- sh -c \"$1\" | true; exit \"${PIPESTATUS[0]}\"",
                    Httptap.launcher().toString(), command));

            List<String> failures = run.stderrLines().stream()
                    .filter(line -> line.startsWith("httptap: cannot")).toList();
            assertAll(run.describe(),
                    () -> assertEquals(7, run.exitCode(), "httptap exits with the command's code"),
                    () -> assertEquals(2, run.stderrLines().stream().filter(line -> line.equals("200")).count(),
                            "both requests went through"),
                    () -> assertEquals(1, failures.size(), "the failure is reported once: " + failures));
        }
    }


    /** The hard RLIMIT_NOFILE this JVM runs with, which the clients and httptap inherit. */
    private static long hardDescriptorLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(line -> line.startsWith("Max open files"))
                    .map(line -> Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[1]))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
