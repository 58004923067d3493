package dev.httptap.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.wire.TcpFlags;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {
    private static final int KIB = 1024;

    @Test
    void anAccountMayGrowWhileTheBudgetLastsAndAlwaysHoldItsReserve() {
        BufferBudget budget = new BufferBudget(100 * KIB);
        BufferBudget.Account greedy = budget.account();
        BufferBudget.Account other = budget.account();
        assertEquals(100 * KIB, greedy.limit());
        greedy.hold(95 * KIB);
        assertEquals(100 * KIB, greedy.limit(), "its own bytes count as its own");
        assertEquals(BufferBudget.RESERVE_BYTES, other.limit(), "5 KiB left, but the reserve is always there");
        other.hold(BufferBudget.RESERVE_BYTES);
        assertEquals(111 * KIB, budget.heldBytes(), "over the budget by at most one reserve");
        assertTrue(greedy.limit() < 95 * KIB, "over the budget: it may not grow, and shrinks as it is read");
        greedy.hold(0);
        other.hold(0);
        assertEquals(0, budget.heldBytes());
        assertEquals(100 * KIB, other.limit());
    }

    @Test
    void aSpentBudgetGivesTheNextConnectionOnlyItsReserveUntilAnotherGivesItsShareBack() {
        BufferBudget budget = new BufferBudget(64 * KIB);
        TcpHarness first = TcpHarness.established(StackConfig.defaults(), budget);
        first.send(TcpFlags.ACK | TcpFlags.PSH, TcpHarness.text(60_000, 'a'));
        first.advanceMillis(50);
        first.sent();
        assertTrue(budget.heldBytes() >= 60_000, "what waits and what is promised is held: " + budget.heldBytes());

        TcpHarness second = new TcpHarness(StackConfig.defaults(), budget, TcpHarness.OUR_ISS,
                TcpHarness.CLIENT, TcpHarness.SERVER);
        second.syn(TcpHarness.CHILD_SYN_OPTIONS);
        second.connection = second.onlyRequest().accept(second.listener);
        SentPacket synAck = second.onlySent();
        assertEquals(BufferBudget.RESERVE_BYTES, synAck.window(), "the spent budget leaves the reserve");

        second.childAck = synAck.seq() + 1;
        second.send(TcpFlags.ACK, "");
        second.send(TcpFlags.ACK | TcpFlags.PSH, TcpHarness.text(BufferBudget.RESERVE_BYTES, 'b'));
        second.advanceMillis(50);
        assertEquals(0, lastWindow(second.sent()), "the reserve is full: the window closes, nothing is dropped");

        assertEquals(TcpHarness.text(60_000, 'a'), first.readAll());
        first.connection.abort();
        assertEquals(TcpHarness.text(BufferBudget.RESERVE_BYTES, 'b'), second.readAll());
        int reopened = lastWindow(second.sent()) << 4;
        assertTrue(reopened > BufferBudget.RESERVE_BYTES, "the first is gone, the second may grow: " + reopened);
    }

    @Test
    void closingAConnectionGivesItsShareBack() {
        BufferBudget budget = new BufferBudget(64 * KIB);
        TcpHarness harness = TcpHarness.established(StackConfig.defaults(), budget);
        harness.send(TcpFlags.ACK | TcpFlags.PSH, TcpHarness.text(10_000, 'c'));
        ByteBuffer bytes = ByteBuffer.wrap(new byte[20_000]);
        harness.connection.write(bytes);
        assertTrue(budget.heldBytes() > 20_000);
        harness.connection.abort();
        assertEquals(0, budget.heldBytes());
    }

    private static int lastWindow(List<SentPacket> sent) {
        assertTrue(!sent.isEmpty(), "an ACK was sent");
        return sent.get(sent.size() - 1).window();
    }
}
