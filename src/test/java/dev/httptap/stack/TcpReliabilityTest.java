package dev.httptap.stack;

import static dev.httptap.stack.TcpHarness.CHILD_ISN;
import static dev.httptap.stack.TcpHarness.OUR_ISS;
import static dev.httptap.stack.TcpHarness.assertSegment;
import static dev.httptap.stack.TcpHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loss, reordering, duplicates, timers and sequence wraparound. */
class TcpReliabilityTest {
    private static final int ACK = TcpFlags.ACK;
    private static final int PSH_ACK = TcpFlags.PSH | TcpFlags.ACK;
    private final TcpHarness child = TcpHarness.established(TcpHarness.SMALL);
    private final int firstByte = CHILD_ISN + 1;
    private final int ourFirstByte = OUR_ISS + 1;

    @Test
    void unacknowledgedDataIsRetransmittedWithExponentialBackoffThenTheConnectionIsReset() {
        child.write("lost");
        child.sent();
        List<Long> retransmitMillis = new ArrayList<>();
        for (long millis = 100; millis <= 300_000; millis += 100) {
            child.advanceMillis(100);
            for (SentPacket packet : child.sent()) {
                if (packet.is(PSH_ACK)) {
                    assertSegment(packet, PSH_ACK, ourFirstByte, firstByte);
                    assertEquals("lost", packet.text());
                    retransmitMillis.add(millis);
                } else {
                    assertTrue(packet.is(TcpFlags.RST | TcpFlags.ACK), "a final RST: " + packet);
                }
            }
        }
        // The handshake measured an RTT of 0, so the RTO starts at the 200 ms minimum and doubles.
        assertEquals(List.of(200L, 600L, 1400L, 3000L, 6200L, 12600L, 25400L, 51000L), retransmitMillis);
        assertEquals(List.of("reset"), child.listener.take());
        assertEquals(0, child.stack.stats().openConnections());
    }

    @Test
    void anAckResetsTheBackoff() {
        child.write("one");
        child.sent();
        child.advanceMillis(200);
        assertEquals(1, child.sent().size());
        child.ack(ourFirstByte + 3);
        child.write("two");
        child.sent();
        child.advanceMillis(199);
        assertEquals(List.of(), child.sent());
        child.advanceMillis(1);
        assertEquals("two", child.onlySent().text(), "back to the unbacked-off RTO");
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitAndPartialAcksRepairTheNextHole() {
        child.write(text(3000, 'f'));
        assertEquals(3, child.sent().size());
        child.ack(ourFirstByte);
        child.ack(ourFirstByte);
        assertEquals(List.of(), child.sent(), "two duplicates are not enough");
        child.ack(ourFirstByte);
        SentPacket again = child.onlySent();
        assertEquals(ourFirstByte, again.seq());
        assertEquals(1460, again.length());
        child.ack(ourFirstByte);
        assertEquals(List.of(), child.sent(), "one fast retransmission per loss");
        child.ack(ourFirstByte + 1460);
        SentPacket next = child.onlySent();
        assertEquals(ourFirstByte + 1460, next.seq(), "partial ACK: the next segment was lost too");
        child.ack(ourFirstByte + 3000);
        assertEquals(List.of(), child.sent());
        child.advanceMillis(5000);
        assertEquals(List.of(), child.sent(), "everything acknowledged: no timer");
    }

    @Test
    void afterATimeoutTheRestIsResentAsAcksReturn() {
        child.write(text(3000, 'g'));
        child.sent();
        child.advanceMillis(200);
        SentPacket first = child.onlySent();
        assertEquals(ourFirstByte, first.seq());
        assertEquals(1460, first.length());
        child.ack(ourFirstByte + 1460);
        List<SentPacket> rest = child.sent();
        assertEquals(List.of(ourFirstByte + 1460, ourFirstByte + 2920), rest.stream().map(SentPacket::seq).toList());
        assertEquals(List.of(1460, 80), rest.stream().map(SentPacket::length).toList());
    }

    @Test
    void outOfOrderSegmentsWaitForTheGapAndAreAcknowledgedAtOnce() {
        child.sendAt(firstByte + 5, "world");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte);
        assertEquals(List.of(), child.listener.take());
        child.sendAt(firstByte, "hello");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 10);
        assertEquals(List.of("readable"), child.listener.take());
        assertEquals("helloworld", child.readAll());
    }

    @Test
    void duplicatesAreAcknowledgedAndDropped() {
        child.sendAt(firstByte, "hello");
        child.sendAt(firstByte, "hello");
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 5);
        assertEquals("hello", child.readAll());
    }

    @Test
    void overlappingSegmentsAreTrimmed() {
        child.sendAt(firstByte + 3, "DEF");
        child.sendAt(firstByte + 2, "CDEFG");
        child.sendAt(firstByte + 8, "IJ");
        child.sendAt(firstByte, "ABC");
        child.sendAt(firstByte + 6, "GHI");
        assertEquals("ABCDEFGHIJ", child.readAll());
        child.sent();
        child.sendAt(firstByte + 8, "IJKL");
        assertEquals("KL", child.readAll(), "only the new tail of an overlapping segment is kept");
    }

    @Test
    void outOfOrderRangesAreBounded() {
        for (int hole = 0; hole <= Reassembly.MAX_RANGES; hole++) {
            child.sendAt(firstByte + 2 + 2 * hole, "x");
        }
        assertEquals(1, child.stack.stats().drops(DropReason.TCP_REASSEMBLY_FULL));
        child.sendAt(firstByte, "ab");
        assertEquals("abx", child.readAll(), "the held ranges still reassemble");
    }

    @Test
    void keepAliveProbesAreAnswered() {
        child.send(PSH_ACK, "ping");
        child.readAll();
        child.advanceMillis(10);
        child.sent();
        child.fromChild(ACK, firstByte + 3, ourFirstByte, 512, TcpOptions.NONE, new byte[0]);
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 4);
        child.fromChild(ACK, firstByte + 3, ourFirstByte, 512, TcpOptions.NONE, new byte[1]);
        assertSegment(child.onlySent(), ACK, ourFirstByte, firstByte + 4);
        assertEquals("", child.readAll());
    }

    @Test
    void sequenceNumbersWrapAroundBothWays() {
        int ourIss = 0xFFFF_FFF0;
        int childIsn = 0xFFFF_FFFA;
        TcpHarness wrapping = TcpHarness.established(TcpHarness.SMALL, ourIss, childIsn);
        wrapping.send(PSH_ACK, text(20, 'w'));
        wrapping.sendAt(childIsn + 1 + 30, "after"); // out of order, beyond the wrap
        assertSegment(wrapping.onlySent(), ACK, ourIss + 1, childIsn + 21);
        wrapping.sendAt(childIsn + 21, text(10, 'v'));
        assertSegment(wrapping.onlySent(), ACK, ourIss + 1, childIsn + 36);
        assertEquals(text(20, 'w') + text(10, 'v') + "after", wrapping.readAll());

        wrapping.childSeq = childIsn + 36;
        wrapping.write(text(2000, 'o'));
        List<SentPacket> out = wrapping.sent();
        assertEquals(List.of(ourIss + 1, ourIss + 1 + 1460), out.stream().map(SentPacket::seq).toList());
        wrapping.ack(ourIss + 1 + 2000);
        assertEquals(3000, wrapping.connection.writable());
        wrapping.advanceMillis(5000);
        assertEquals(List.of(), wrapping.sent(), "no retransmission after the wrap");
    }

    @Test
    void timestampsEchoTheChildsLatestValue() {
        TcpHarness stamped = new TcpHarness(TcpHarness.SMALL, OUR_ISS);
        stamped.syn(new TcpOptions(1460, 7, true, true, 100, 0));
        stamped.connection = stamped.onlyRequest().accept(stamped.listener);
        SentPacket synAck = stamped.onlySent();
        assertEquals(100, synAck.options().timestampEcho());
        int ourValue = synAck.options().timestampValue();
        stamped.fromChild(ACK, CHILD_ISN + 1, OUR_ISS + 1, 512, TcpOptions.timestamps(150, ourValue), new byte[0]);
        stamped.fromChild(PSH_ACK, CHILD_ISN + 1, OUR_ISS + 1, 512, TcpOptions.timestamps(170, ourValue),
                "hi".getBytes());
        stamped.advanceMillis(10);
        SentPacket ack = stamped.onlySent();
        assertEquals(TcpOptions.timestamps(ourValue + 10, 170), ack.options());
        stamped.write(text(2000, 't'));
        assertEquals(List.of(1448, 552), stamped.sent().stream().map(SentPacket::length).toList(),
                "the MSS leaves room for the 12-byte timestamps option");
    }
}
