package dev.httptap.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
    /** As dig 9.18 sends it: RD and AD set, an EDNS OPT record with a client cookie. */
    static final String DIG_QUERY_EXAMPLE_COM_A = """
            abcd 0120 0001 0000 0000 0001
            07 6578616d706c65 03 636f6d 00 0001 0001
            00 0029 04d0 00 00 0000 000c 000a 0008 0123456789abcdef
            """;

    /** As glibc's stub resolver sends it: RD only, no EDNS. */
    static final String GLIBC_QUERY_HOST_ALIAS_AAAA = """
            5a17 0100 0001 0000 0000 0000
            04 686f7374 07 68747470746170 05 6c6f63616c 00 001c 0001
            """;

    @Test
    void parsesTheHeaderAndQuestionOfADigQuery() throws Exception {
        DnsMessage message = DnsMessage.parse(Hex.buffer(DIG_QUERY_EXAMPLE_COM_A));

        assertEquals(0xabcd, message.id());
        assertEquals(0x0120, message.flags());
        assertFalse(message.isResponse());
        assertTrue(message.recursionDesired());
        assertEquals(0, message.opcode());
        assertEquals(List.of(new DnsQuestion("example.com", 1, 1)), message.questions());
    }

    @Test
    void parsesAGlibcQueryAndKeepsTheSendersCase() throws Exception {
        DnsMessage message = DnsMessage.parse(Hex.buffer(GLIBC_QUERY_HOST_ALIAS_AAAA));

        assertEquals(0x5a17, message.id());
        assertEquals(List.of(new DnsQuestion("host.httptap.local", DnsQuestion.TYPE_AAAA, 1)), message.questions());
    }

    @Test
    void parsesFromTheBuffersPositionWithoutMovingIt() throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(100);
        buffer.put(new byte[] {9, 9, 9}).put(Hex.bytes(DIG_QUERY_EXAMPLE_COM_A)).flip().position(3);

        DnsMessage message = DnsMessage.parse(buffer);

        assertEquals("example.com", message.questions().get(0).name());
        assertEquals(3, buffer.position());
    }

    @Test
    void followsACompressionPointerToAnEarlierName() throws Exception {
        DnsMessage message = DnsMessage.parse(Hex.buffer("""
                0001 0100 0002 0000 0000 0000
                07 6578616d706c65 03 636f6d 00 0001 0001
                03 777777 c00c 001c 0001
                """));

        assertEquals(List.of(new DnsQuestion("example.com", 1, 1), new DnsQuestion("www.example.com", 28, 1)),
                message.questions());
    }

    @Test
    void readsTheCompressedOwnerNameOfAnAnswerRecord() throws Exception {
        ByteBuffer response = Hex.buffer("""
                abcd 8180 0001 0001 0000 0000
                07 6578616d706c65 03 636f6d 00 0001 0001
                c00c 0001 0001 00000e10 0004 5db8d822
                """);

        DnsName.Read owner = DnsName.read(response, 29);

        assertEquals("example.com", owner.name());
        assertEquals(31, owner.end());
    }

    @Test
    void escapesDotsAndUnprintableOctetsInsideLabels() throws Exception {
        DnsMessage message = DnsMessage.parse(Hex.buffer("0001 0100 0001 0000 0000 0000 03 612e00 00 0001 0001"));

        assertEquals("a\\.\\000", message.questions().get(0).name());
    }

    @Test
    void parsesTheRootName() throws Exception {
        DnsMessage message = DnsMessage.parse(Hex.buffer("0001 0100 0001 0000 0000 0000 00 0002 0001"));

        assertEquals(List.of(new DnsQuestion("", 2, 1)), message.questions());
    }

    @Test
    void rejectsAPointerToItself() {
        assertMalformed("0001 0100 0001 0000 0000 0000 c00c 0001 0001", "does not point backwards");
    }

    @Test
    void rejectsAForwardPointer() {
        assertMalformed("0001 0100 0001 0000 0000 0000 c010 0001 0001 00", "does not point backwards");
    }

    @Test
    void rejectsALoopThroughTwoPointers() {
        // The label at 12 points to 14, which points back to 12: the forward one is refused.
        assertMalformed("0001 0100 0001 0000 0000 0000 c00e c00c 0001 0001", "does not point backwards");
    }

    @Test
    void rejectsAMessageShorterThanAHeader() {
        assertMalformed("0001 0100 0001 0000 0000 00", "shorter than a DNS header");
    }

    @Test
    void rejectsALabelThatRunsPastTheEnd() {
        assertMalformed("0001 0100 0001 0000 0000 0000 07 6578616d", "label runs past the end");
    }

    @Test
    void rejectsANameWithoutItsTerminatingZero() {
        assertMalformed("0001 0100 0001 0000 0000 0000 03 636f6d", "name runs past the end");
    }

    @Test
    void rejectsAQuestionWithoutTypeAndClass() {
        assertMalformed("0001 0100 0001 0000 0000 0000 03 636f6d 00 0001", "question 1 runs past the end");
    }

    @Test
    void rejectsMoreQuestionsThanTheMessageHolds() {
        assertMalformed("0001 0100 0002 0000 0000 0000 03 636f6d 00 0001 0001", "name runs past the end");
    }

    @Test
    void rejectsATruncatedPointer() {
        assertMalformed("0001 0100 0001 0000 0000 0000 c0", "pointer runs past the end");
    }

    @Test
    void rejectsExtendedLabelTypes() {
        assertMalformed("0001 0100 0001 0000 0000 0000 41 00 0001 0001", "unsupported label type 0x41");
    }

    @Test
    void rejectsANameLongerThan255Octets() {
        // Five 63-octet labels encode to 5 * 64 + 1 = 321 octets.
        String label = "3f" + "61".repeat(63);
        assertMalformed("0001 0100 0001 0000 0000 0000" + label.repeat(5) + "00 0001 0001", "longer than 255");
    }

    @Test
    void rejectsALongNameBuiltFromPointers() throws Exception {
        // Each name adds a 63-octet label in front of the previous one through a pointer; the fifth is too long.
        StringBuilder hex = new StringBuilder("0001 0100 0005 0000 0000 0000");
        String label = "3f" + "61".repeat(63);
        hex.append(label).append("00 0001 0001");
        int previous = 12;
        for (int i = 1; i < 5; i++) {
            int start = 12 + 64 + 1 + 4 + (i - 1) * (64 + 2 + 4);
            hex.append(label).append(String.format("%04x", 0xc000 | previous)).append("0001 0001");
            previous = start;
        }
        assertMalformed(hex.toString(), "longer than 255");
    }

    @Test
    void rejectsAChainOfPointersLongerThanANameHasLabels() {
        // Each question's name is only a pointer to the previous question's: reading question n follows n
        // pointers, so 10,000 questions in one datagram cost 50 million steps. A name has at most 127 labels,
        // and an encoder points at most once per label, so a longer chain is refused.
        StringBuilder hex = new StringBuilder("0001 0100 0082 0000 0000 0000 00 0001 0001");
        int previous = 12;
        for (int i = 1; i < 130; i++) {
            hex.append(String.format("%04x", 0xc000 | previous)).append("0001 0001");
            previous = 12 + 5 + (i - 1) * 6;
        }
        assertMalformed(hex.toString(), "more than 127 compression pointers");
    }

    @Test
    void comparesQuestionsIgnoringCase() throws Exception {
        DnsMessage query = DnsMessage.parse(Hex.buffer("0001 0100 0001 0000 0000 0000 03 436f4d 00 0001 0001"));
        DnsMessage answer = DnsMessage.parse(Hex.buffer("0001 8180 0001 0000 0000 0000 03 636f6d 00 0001 0001"));
        DnsMessage otherType = DnsMessage.parse(Hex.buffer("0001 8180 0001 0000 0000 0000 03 636f6d 00 001c 0001"));

        assertTrue(query.sameQuestions(answer));
        assertFalse(query.sameQuestions(otherType));
        assertTrue(answer.isResponse());
        assertEquals(0, answer.responseCode());
    }

    private static void assertMalformed(String hex, String expectedMessagePart) {
        DnsFormatException error = assertThrows(DnsFormatException.class, () -> DnsMessage.parse(Hex.buffer(hex)));
        assertTrue(error.getMessage().contains(expectedMessagePart), error.getMessage());
    }
}
