package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.relay.HostNames;
import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamErrorPrinterTest {
    /** The gateway's answer: host.httptap.local A 169.254.77.65. */
    private static final byte[] HOST_ALIAS_ANSWER = HexFormat.of().parseHex(("0102 8580 0001 0001 0000 0000"
            + " 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001"
            + " c00c 0001 0001 0000003c 0004 a9fe4d41").replace(" ", ""));
    private static final InetSocketAddress DIALLED = new InetSocketAddress("127.0.0.1", 8001);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final HostNames names = new HostNames();

    private UpstreamErrorPrinter printer(boolean colour) {
        return new UpstreamErrorPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), colour, names,
                (task, delayMillis) -> scheduled.add(task));
    }

    @Test
    void aRefusedDialPrintsOneLineWithTheNameTheChildLookedUpOnceTheGraceIsOver() {
        UpstreamErrorPrinter printer = printer(false);
        names.onAnswer(flow("10.1.1.100", 40000, "169.254.77.65", 8001), ByteBuffer.wrap(HOST_ALIAS_ANSWER));

        printer.onConnectFailed(flow("10.1.1.100", 40000, "169.254.77.65", 8001), DIALLED, "connection refused");
        assertEquals("", printed(), "held during the grace");
        scheduled.forEach(Runnable::run);

        assertEquals("<--- ERROR host.httptap.local:8001: connection refused\n", printed());
    }

    @Test
    void anAddressNobodyLookedUpIsShownAsTheChildDialledIt() {
        UpstreamErrorPrinter printer = printer(false);
        printer.onConnectFailed(flow("fd77:6874:7470::100", 40000, "fd77:6874:7470::a9fe:4d41", 8001),
                DIALLED, "no route to host");
        printer.close();

        assertEquals("<--- ERROR [fd77:6874:7470::a9fe:4d41]:8001: no route to host\n", printed());
    }

    @Test
    void aFailureTheChildRecoversFromByReachingTheSameNameIsNotPrinted() {
        UpstreamErrorPrinter printer = printer(false);
        names.onAnswer(flow("10.1.1.100", 40000, "10.1.1.1", 53), ByteBuffer.wrap(HOST_ALIAS_ANSWER));
        printer.onConnectFailed(flow("10.1.1.100", 40000, "169.254.77.65", 8001), DIALLED, "connection refused");

        printer.onConnected(flow("10.1.1.100", 40002, "169.254.77.65", 8001), DIALLED, 1, 2);
        scheduled.forEach(Runnable::run);
        printer.close();

        assertEquals("", printed());
    }

    /** A client that fails and then reaches a name, again and again: each recovered failure stays unprinted. */
    @Test
    void anEarlierFailuresTimerDoesNotPrintALaterEqualOneStillInItsGrace() {
        UpstreamErrorPrinter printer = printer(false);
        names.onAnswer(flow("10.1.1.100", 40000, "10.1.1.1", 53), ByteBuffer.wrap(HOST_ALIAS_ANSWER));
        printer.onConnectFailed(flow("10.1.1.100", 40000, "169.254.77.65", 8001), DIALLED, "connection refused");
        printer.onConnected(flow("10.1.1.100", 40001, "169.254.77.65", 8001), DIALLED, 1, 2);
        printer.onConnectFailed(flow("10.1.1.100", 40002, "169.254.77.65", 8001), DIALLED, "connection refused");
        assertEquals(2, scheduled.size());

        scheduled.get(0).run(); // the first failure's grace ends while the second's runs
        assertEquals("", printed());
        printer.onConnected(flow("10.1.1.100", 40003, "169.254.77.65", 8001), DIALLED, 1, 2);
        scheduled.get(1).run();
        printer.close();
        assertEquals("", printed());
    }

    @Test
    void theSameFailureTwiceWithinTheGraceIsOneLine() {
        UpstreamErrorPrinter printer = printer(false);
        printer.onConnectFailed(flow("10.1.1.100", 40000, "192.0.2.7", 81), DIALLED, "connection refused");
        printer.onConnectFailed(flow("10.1.1.100", 40001, "192.0.2.7", 81), DIALLED, "connection refused");
        scheduled.forEach(Runnable::run);
        printer.close();

        assertEquals("<--- ERROR 192.0.2.7:81: connection refused\n", printed());
    }

    @Test
    void aRejectedServerIsPrintedAtOnceInRedWhenColourIsOn() {
        UpstreamErrorPrinter printer = printer(true);
        printer.onServerRejected(flow("10.1.1.100", 40000, "192.0.2.7", 443), "example.com:443",
                "cannot verify the TLS connection: its certificate has expired");

        assertEquals("\u001b[31m<--- ERROR example.com:443: cannot verify the TLS connection: its certificate has expired"
                + "\u001b[0m\n", printed());
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static FlowId flow(String client, int clientPort, String server, int serverPort) {
        return new FlowId(new InetSocketAddress(client, clientPort), new InetSocketAddress(server, serverPort));
    }
}
