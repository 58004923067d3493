package dev.httptap.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.stack.FlowId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Golden output of --print-dns, from the DNS messages the relay reports. */
class DnsPrinterTest {
    static final FlowId FLOW = new FlowId(new InetSocketAddress("10.1.1.100", 45000),
            new InetSocketAddress("10.1.1.1", 53));
    static final String HOST_QUERY =
            "beef 0100 0001 0000 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001";
    static final String HOST_ANSWER = """
            beef 8580 0001 0001 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
            c00c 0001 0001 0000003c 0004 a9fe4d41
            """;
    static final String CNAME_AND_TWO_A = """
            0001 8180 0001 0003 0000 0000
            03 777777 07 6578616d706c65 03 636f6d 00 0001 0001
            c00c 0005 0001 00000e10 0002 c010
            c010 0001 0001 00000e10 0004 c0000201
            c010 0001 0001 00000e10 0004 c0000202
            """;
    static final String NXDOMAIN_AAAA =
            "1234 8183 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 001c 0001";
    static final String EMPTY_AAAA =
            "1234 8180 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 001c 0001";

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void queryAndAnswerLines() {
        DnsPrinter printer = printer(false);
        printer.onQuery(FLOW, hex(HOST_QUERY));
        printer.onAnswer(FLOW, hex(HOST_ANSWER));
        printer.onAnswer(FLOW, hex(CNAME_AND_TWO_A));
        assertEquals("""
                ---> DNS host.httptap.local (A)
                <--- DNS host.httptap.local (A): A 169.254.77.65
                <--- DNS www.example.com (A): CNAME example.com, A 192.0.2.1, A 192.0.2.2
                """, printed());
    }

    @Test
    void errorsAndTimeoutsAndEmptyAnswers() {
        DnsPrinter printer = printer(false);
        printer.onAnswer(FLOW, hex(NXDOMAIN_AAAA));
        printer.onAnswer(FLOW, hex(NXDOMAIN_AAAA.replace("8183", "8182")));
        printer.onAnswer(FLOW, hex(EMPTY_AAAA));
        printer.onNoAnswer(FLOW, hex(HOST_QUERY));
        assertEquals("""
                <--- DNS example.com (AAAA): NXDOMAIN
                <--- DNS example.com (AAAA): SERVFAIL
                <--- DNS example.com (AAAA): no records
                <--- DNS host.httptap.local (A): timeout
                """, printed());
    }

    @Test
    void colouredLines() {
        DnsPrinter printer = printer(true);
        printer.onQuery(FLOW, hex(HOST_QUERY));
        printer.onAnswer(FLOW, hex(HOST_ANSWER));
        printer.onAnswer(FLOW, hex(NXDOMAIN_AAAA));
        assertEquals("\u001b[1;34m---> DNS host.httptap.local (A)\u001b[0m\n"
                + "\u001b[32m<--- DNS host.httptap.local (A): A 169.254.77.65\u001b[0m\n"
                + "\u001b[31m<--- DNS example.com (AAAA): NXDOMAIN\u001b[0m\n", printed());
    }

    @Test
    void malformedMessagesPrintNothing() {
        DnsPrinter printer = printer(false);
        printer.onQuery(FLOW, hex("1234"));
        printer.onAnswer(FLOW, hex(HOST_ANSWER.replace("0004 a9fe4d41", "0004 a9fe")));
        printer.onNoAnswer(FLOW, hex("1234 0100 0001"));
        assertEquals("", printed());
    }

    private DnsPrinter printer(boolean colour) {
        return new DnsPrinter(new PrintStream(output, false, StandardCharsets.UTF_8), colour);
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    static ByteBuffer hex(String text) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(text.replaceAll("\\s+", ""))).asReadOnlyBuffer();
    }
}
