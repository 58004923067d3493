package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** --dump-tcp: a line for every TCP packet, next to the exchange lines, through the real ./httptap. */
class DumpTcpIT {
    /** Any line of the dump: the child's endpoint, the arrow, the server's endpoint, flags, numbers. */
    private static final Pattern ANY_PACKET = Pattern.compile(
            "tcp (\\S+:\\d+) ([<>]) (\\S+:\\d+) \\[([FSRPUEW.]+|none)\\] seq \\d+( ack \\d+)? win \\d+(.*) len (\\d+)");

    @Test
    void showsTheHandshakeAndEveryPacketAsWholeLines() throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
            ProcessRun run = Httptap.command("curl", "-s", url).flags("--stderr", "--dump-tcp").run();

            List<String> lines = run.stderrLines();
            int syn = indexOf(lines, ">", "S", server.port());
            int synAck = indexOf(lines, "<", "S.", server.port());
            int ack = indexOf(lines, ">", ".", server.port());
            int request = lines.indexOf("---> GET " + url);
            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(LocalHttpServer.HELLO_BODY, run.stdoutText(), "stdout is curl's alone"),
                    () -> assertTrue(syn >= 0 && syn < synAck && synAck < ack && ack < request,
                            "SYN, SYN-ACK, ACK, then the exchange"),
                    () -> assertTrue(synLine(lines, syn).matches(".* mss \\d+.* len 0"), "the SYN's options"),
                    () -> assertTrue(lines.stream().anyMatch(line -> line.contains(" [F")), "a FIN"),
                    () -> assertTrue(lines.stream().allMatch(line -> ANY_PACKET.matcher(line).matches()
                            || line.startsWith("---> ") || line.startsWith("<--- ")), "only whole lines"),
                    () -> assertEquals(2, ProcessRun.exchangeLines(lines).size(), "the exchange is still printed"));
        }
    }

    /** The first packet line with this arrow and flags on the connection to {@code port}, or -1. */
    private static int indexOf(List<String> lines, String arrow, String flags, int port) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher packet = ANY_PACKET.matcher(lines.get(i));
            if (packet.matches() && packet.group(2).equals(arrow) && packet.group(4).equals(flags)
                    && packet.group(3).endsWith(":" + port)) {
                return i;
            }
        }
        return -1;
    }

    private static String synLine(List<String> lines, int index) {
        return index < 0 ? "" : lines.get(index);
    }
}
