package dev.httptap.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * DNS messages from arbitrary bytes: queries as the gateway reads them from the command, responses as
 * httptap reads them for display. Names with compression pointers, counts that lie, records that overrun.
 */
class DnsFuzzTest {
    /** A name is at most 255 octets; each octet is shown as at most four characters ("\ddd"). */
    private static final int MAX_NAME_CHARS = 4 * DnsName.MAX_NAME_OCTETS;
    private static final LocalZone ZONE = zone();

    @FuzzTest
    void query(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        DnsMessage query;
        try {
            query = DnsMessage.parse(buffer);
        } catch (DnsFormatException expected) {
            return;
        }
        assertEquals(0, buffer.position(), "the buffer is not moved");
        assertEquals(((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff), query.questions().size(), "question count");
        assertTrue(query.questionSectionEnd() <= bytes.length);
        query.questions().forEach(question -> assertTrue(question.name().length() <= MAX_NAME_CHARS, "name length"));
        if (ZONE.owns(query)) {
            // The local answer is a response to exactly this query.
            DnsResponse answer = parseResponse(ZONE.answer(query));
            assertEquals(query.id(), answer.message().id());
            assertTrue(answer.message().isResponse());
            assertTrue(answer.message().sameQuestions(query), "the answer repeats the question");
            assertTrue(answer.answers().size() <= 1);
        }
    }

    @FuzzTest
    void response(byte[] bytes) {
        try {
            DnsResponse response = DnsResponse.parse(ByteBuffer.wrap(bytes));
            assertTrue(response.answers().size() <= 256, "answers bounded");
            for (DnsRecord answer : response.answers()) {
                assertTrue(answer.name().length() <= MAX_NAME_CHARS, "name length");
                // TXT data shows each of at most 64 KiB octets as at most four characters.
                assertTrue(answer.data().length() <= 4 * bytes.length + 16, "record data shown bounded");
            }
        } catch (DnsFormatException expected) {
            // the documented refusal
        }
    }

    private static DnsResponse parseResponse(ByteBuffer bytes) {
        try {
            return DnsResponse.parse(bytes);
        } catch (DnsFormatException e) {
            throw new AssertionError("the local zone's answer does not parse: " + e.getMessage(), e);
        }
    }

    private static LocalZone zone() {
        try {
            return new LocalZone("host.httptap.local", (Inet4Address) InetAddress.getByName("169.254.77.65"),
                    (Inet6Address) InetAddress.getByName("fd77:6874:7470::2"));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
