package dev.httptap.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answer sections from golden bytes, and every way one can run past its message. */
class DnsResponseTest {
    /** www.example.com A: a CNAME to example.com (a pointer into the question) and its address. */
    private static final String CNAME_AND_A = """
            0001 8180 0001 0002 0000 0000
            03 777777 07 6578616d706c65 03 636f6d 00 0001 0001
            c00c 0005 0001 00000e10 0002 c010
            c010 0001 0001 00000e10 0004 c0000201
            """;

    @Test
    void readsTheLocalAnswerForTheHostAlias() throws DnsFormatException {
        DnsResponse response = parse("""
                beef 8580 0001 0001 0000 0000 04 686f7374 07 68747470746170 05 6c6f63616c 00 0001 0001
                c00c 0001 0001 0000003c 0004 a9fe4d41
                """);
        assertEquals(0, response.responseCode());
        assertEquals(List.of(new DnsQuestion("host.httptap.local", DnsType.A, DnsQuestion.CLASS_IN)), response.questions());
        assertEquals(List.of(new DnsRecord("host.httptap.local", DnsType.A, 1, 60, "169.254.77.65")), response.answers());
        assertEquals("A 169.254.77.65", response.answers().get(0).toString());
    }

    @Test
    void followsCompressionPointersInNamesAndData() throws DnsFormatException {
        DnsResponse response = parse(CNAME_AND_A);
        assertEquals(List.of(
                new DnsRecord("www.example.com", DnsType.CNAME, 1, 3600, "example.com"),
                new DnsRecord("example.com", DnsType.A, 1, 3600, "192.0.2.1")), response.answers());
    }

    @Test
    void readsAaaaMxTxtAndUnknownTypes() throws DnsFormatException {
        DnsResponse response = parse("""
                0002 8180 0001 0004 0000 0000
                01 78 00 00ff 0001
                c00c 001c 0001 0000003c 0010 20010db8000000000000000000000001
                c00c 000f 0001 0000003c 0006 000a 01 6d c00c
                c00c 0010 0001 0000003c 000a 03 612062 05 22 5c 0a 78 79
                c00c 0041 0001 0000003c 0003 000100
                """);
        assertEquals(List.of("AAAA 2001:db8::1", "MX 10 m.x", "TXT \"a b\" \"\\\"\\\\\\010xy\"",
                        "HTTPS \\# 3 000100"),
                response.answers().stream().map(DnsRecord::toString).toList());
        assertEquals("ANY", DnsType.name(response.questions().get(0).type()));
    }

    @Test
    void errorResponsesHaveTheirCodeAndNoAnswers() throws DnsFormatException {
        DnsResponse response = parse("""
                1234 8183 0001 0000 0001 0000 07 6578616d706c65 03 636f6d 00 0001 0001
                c00c 0006 0001 00000e10 0016 c00c c00c 00000001 00000002 00000003 00000004 00000005
                """);
        assertEquals("NXDOMAIN", DnsType.responseCodeName(response.responseCode()));
        assertEquals(List.of(), response.answers());
        assertEquals("SERVFAIL", DnsType.responseCodeName(2));
        assertEquals("RCODE11", DnsType.responseCodeName(11));
        assertEquals("TYPE65280", DnsType.name(65280));
    }

    @Test
    void rejectsAnswersThatRunPastTheMessage() {
        // Two answers announced, one present.
        assertMalformed(CNAME_AND_A.replace("0001 0002 0000 0000", "0001 0003 0000 0000"));
        // Data length past the end.
        assertMalformed(CNAME_AND_A.replace("0004 c0000201", "0005 c0000201"));
        // A fixed part cut short.
        assertMalformed("0001 8180 0001 0001 0000 0000 01 78 00 0001 0001 c00c 0001 0001 0000");
        // An A record with five bytes of data.
        assertMalformed("0001 8180 0001 0001 0000 0000 01 78 00 0001 0001 c00c 0001 0001 0000003c 0005 0102030405");
        // A CNAME whose pointer points forward (a loop in disguise).
        assertMalformed("0001 8180 0001 0001 0000 0000 01 78 00 0001 0001 c00c 0005 0001 0000003c 0002 c020");
        // A CNAME whose name runs past its record's data into the next bytes.
        assertMalformed("0001 8180 0001 0001 0000 0000 01 78 00 0001 0001 c00c 0005 0001 0000003c 0001 01 79 00");
        // A TXT string longer than its record.
        assertMalformed("0001 8180 0001 0001 0000 0000 01 78 00 0010 0001 c00c 0010 0001 0000003c 0002 05 61");
    }

    private static void assertMalformed(String hex) {
        assertThrows(DnsFormatException.class, () -> parse(hex), hex);
    }

    private static DnsResponse parse(String hex) throws DnsFormatException {
        ByteBuffer buffer = Hex.buffer(hex);
        DnsResponse response = DnsResponse.parse(buffer);
        assertEquals(0, buffer.position(), "the buffer is left as it was");
        return response;
    }
}
