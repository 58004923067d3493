package dev.httptap.stack;

import static dev.httptap.stack.TcpHarness.CHILD_ISN;
import static dev.httptap.stack.TcpHarness.OUR_ISS;
import static dev.httptap.stack.TcpHarness.assertSegment;
import static dev.httptap.stack.TcpHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.TcpFlags;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data both ways and flow control, with MTU 1500, a 4000-byte receive and a 3000-byte send buffer. */
class TcpDataTest {
    private static final int ACK = TcpFlags.ACK;
    private static final int PSH_ACK = TcpFlags.PSH | TcpFlags.ACK;
    private final TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
    private final int firstByte = CHILD_ISN + 1;
    private final int ourFirstByte = OUR_ISS + 1;

    @Test
    void childDataIsReadableAndAcknowledgedAfterAShortDelay() {
        child.send(PSH_ACK, "hello");
        assertEquals(List.of("readable"), child.listener.take());
        assertEquals(List.of(), child.sent(), "the ACK is delayed");
        assertEquals(5, child.connection.readable());
        child.advanceMillis(10);
        SentPacket ack = child.onlySent();
        assertSegment(ack, ACK, ourFirstByte, firstByte + 5);
        assertEquals(4000 - 5, ack.window(), "window = free receive buffer");
        assertEquals("hello", child.readAll());
        assertEquals(0, child.connection.readable());
    }

    @Test
    void everySecondFullSegmentIsAcknowledgedAtOnce() {
        child.send(ACK, text(1460, 'a'));
        assertEquals(List.of(), child.sent());
        child.send(ACK, text(1460, 'b'));
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 2920);
    }

    @Test
    void answerCarriesTheAckSoNoSeparateAckFollows() {
        child.send(PSH_ACK, "GET / HTTP/1.1\r\n\r\n");
        assertEquals("GET / HTTP/1.1\r\n\r\n", child.readAll());
        child.write("HTTP/1.1 200 OK\r\n\r\n");
        SentPacket answer = child.onlySent();
        assertSegment(answer, PSH_ACK, ourFirstByte, firstByte + 18);
        assertEquals("HTTP/1.1 200 OK\r\n\r\n", answer.text());
        child.advanceMillis(50);
        assertEquals(List.of(), child.sent(), "the delayed ACK was piggybacked");
    }

    @Test
    void outgoingDataIsCutAtTheMssAndAcknowledgedBytesAreFreed() {
        child.write(text(2000, 'z'));
        List<SentPacket> segments = child.sent();
        assertEquals(2, segments.size());
        assertSegment(segments.get(0), ACK, ourFirstByte, firstByte);
        assertEquals(1460, segments.get(0).length());
        assertSegment(segments.get(1), PSH_ACK, ourFirstByte + 1460, firstByte);
        assertEquals(540, segments.get(1).length());
        assertEquals(1000, child.connection.writable());
        child.ack(ourFirstByte + 2000);
        assertEquals(3000, child.connection.writable());
        assertEquals(List.of(), child.sent());
    }

    @Test
    void corkedWritesShareFullSegmentsAndUncorkSendsTheRest() {
        child.connection.cork();
        child.write(text(1000, 'a'));
        assertEquals(List.of(), child.sent(), "less than one segment waits");
        child.write(text(1000, 'b'));
        List<SentPacket> full = child.sent();
        assertEquals(List.of(1460), full.stream().map(SentPacket::length).toList(), "a full segment leaves at once");
        assertEquals(text(1000, 'a') + text(460, 'b'), full.get(0).text());
        child.connection.uncork();
        SentPacket rest = child.onlySent();
        assertSegment(rest, PSH_ACK, ourFirstByte + 1460, firstByte);
        assertEquals(text(540, 'b'), rest.text());
        child.write("after");
        assertEquals("after", child.onlySent().text(), "uncorked writes go at once");
    }

    @Test
    void writeTakesWhatFitsAndOnWritableFiresWhenSpaceOpens() {
        ByteBuffer big = ByteBuffer.wrap(new byte[5000]);
        assertEquals(3000, child.connection.write(big));
        assertEquals(2000, big.remaining());
        assertEquals(0, child.connection.writable());
        child.sent();
        child.ack(ourFirstByte + 1460);
        assertEquals(List.of("writable"), child.listener.take());
        assertEquals(1460, child.connection.write(ByteBuffer.wrap(new byte[1460])), "exactly the free space");
        child.ack(ourFirstByte + 2000);
        assertEquals(List.of(), child.listener.take(), "onWritable only after the queue was full");
    }

    @Test
    void thePeersScaledWindowLimitsWhatIsInFlight() {
        child.childWindow = 8; // 8 << 7 = 1024 bytes
        child.ack(ourFirstByte);
        child.write(text(3000, 'w'));
        List<SentPacket> first = child.sent();
        assertEquals(List.of(1024), first.stream().map(SentPacket::length).toList());
        child.childWindow = 16; // 2048 bytes from the new ACK
        child.ack(ourFirstByte + 1024);
        List<SentPacket> second = child.sent();
        assertEquals(List.of(1460, 516), second.stream().map(SentPacket::length).toList());
        assertEquals(ourFirstByte + 1024, second.get(0).seq());
    }

    @Test
    void windowClosesWhenTheForwarderStopsReadingAndReopensWithAnUpdate() {
        child.send(ACK, text(1460, 'a'));
        child.send(ACK, text(1460, 'b'));
        assertEquals(4000 - 2920, child.onlySent().window());
        child.send(ACK, text(1080, 'c'));
        child.advanceMillis(10);
        SentPacket full = child.onlySent();
        assertSegment(full, ACK, ourFirstByte, firstByte + 4000);
        assertEquals(0, full.window(), "receive buffer full");

        child.send(ACK, "x"); // beyond a zero window: not accepted, answered with the window
        child.childSeq--;
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 4000);

        ByteBuffer some = ByteBuffer.allocate(1000);
        assertEquals(1000, child.connection.read(some));
        assertEquals(List.of(), child.sent(), "1000 bytes is less than a segment: no update yet (SWS)");
        child.readAll();
        SentPacket update = child.onlySent();
        assertSegment(update, ACK, ourFirstByte, firstByte + 4000);
        assertEquals(4000, update.window());
    }

    @Test
    void zeroWindowIsProbedWithBackoffUntilItOpens() {
        child.childWindow = 0;
        child.ack(ourFirstByte);
        child.write("waiting");
        assertEquals(List.of(), child.sent(), "nothing fits in a zero window");
        long[] probeTimes = new long[4];
        long start = child.clock.nanoTime();
        for (int probe = 0; probe < probeTimes.length; ) {
            child.advanceMillis(10);
            List<SentPacket> sent = child.sent();
            if (!sent.isEmpty()) {
                assertSegment(sent.get(0), ACK, ourFirstByte - 1, firstByte);
                assertEquals(0, sent.get(0).length());
                probeTimes[probe++] = (child.clock.nanoTime() - start) / 1_000_000;
            }
        }
        assertEquals(probeTimes[1] - probeTimes[0], 2 * probeTimes[0], "backoff doubles: " + List.of(probeTimes));
        assertEquals(probeTimes[2] - probeTimes[1], 2 * (probeTimes[1] - probeTimes[0]));
        child.childWindow = 512;
        child.ack(ourFirstByte);
        SentPacket data = child.onlySent();
        assertSegment(data, PSH_ACK, ourFirstByte, firstByte);
        assertEquals("waiting", data.text());
    }

    @Test
    void bytesWrittenDuringTheHandshakeGoOutOnceItCompletes() {
        TcpHarness fresh = new TcpHarness(TcpHarness.SMALL, OUR_ISS);
        fresh.syn(TcpHarness.CHILD_SYN_OPTIONS);
        fresh.connection = fresh.onlyRequest().accept(fresh.listener);
        fresh.write("220 banner\r\n");
        assertTrue(fresh.onlySent().is(TcpFlags.SYN | TcpFlags.ACK), "only the SYN-ACK before the handshake ends");
        fresh.childAck = OUR_ISS + 1;
        fresh.send(ACK, "");
        SentPacket banner = fresh.onlySent();
        assertSegment(banner, PSH_ACK, OUR_ISS + 1, CHILD_ISN + 1);
        assertEquals("220 banner\r\n", banner.text());
    }
}
