package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.stack.BufferBudget;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PendingBytesTest {
    @Test
    void keepsOrderAcrossPartialDrains() {
        PendingBytes pending = new PendingBytes(BufferBudget.unlimited().account());
        pending.add(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        pending.add(ByteBuffer.wrap(new byte[] {4, 5}));
        ByteArrayOutputStream taken = new ByteArrayOutputStream();
        pending.drainTo(bytes -> take(bytes, 2, taken));
        pending.add(ByteBuffer.wrap(new byte[] {6}));
        pending.drainTo(bytes -> take(bytes, 10, taken));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, taken.toByteArray());
        assertTrue(pending.isEmpty());
    }

    @Test
    void refusesMoreThanItsBound() {
        PendingBytes pending = new PendingBytes(BufferBudget.unlimited().account());
        pending.add(ByteBuffer.allocate(PendingBytes.MAX_BYTES));
        assertEquals(PendingBytes.MAX_BYTES, pending.size());
        assertThrows(IllegalStateException.class, () -> pending.add(ByteBuffer.allocate(1)));
    }

    @Test
    void whatWaitsIsHeldInTheBudgetUntilDrainedOrReleased() {
        BufferBudget budget = new BufferBudget(100_000);
        PendingBytes pending = new PendingBytes(budget.account());
        pending.add(ByteBuffer.allocate(30_000));
        assertEquals(30_000, budget.heldBytes());
        pending.drainTo(bytes -> take(bytes, 10_000, new ByteArrayOutputStream()));
        assertEquals(20_000, budget.heldBytes());
        pending.drainTo(bytes -> take(bytes, 20_000, new ByteArrayOutputStream()));
        assertEquals(0, budget.heldBytes());
        pending.add(ByteBuffer.allocate(5_000));
        pending.release();
        assertEquals(0, budget.heldBytes());
        assertTrue(pending.isEmpty());
    }

    @Test
    void readsFromTheSourceShrinkToTheReserveWhenTheBudgetIsSpent() {
        BufferBudget budget = new BufferBudget(200_000);
        BufferBudget.Account other = budget.account();
        PendingBytes pending = new PendingBytes(budget.account());
        assertEquals(65_536, pending.readLimit(65_536));
        other.hold(199_000);
        assertEquals(BufferBudget.RESERVE_BYTES, pending.readLimit(65_536));
        other.hold(0);
        assertEquals(65_536, pending.readLimit(65_536));
    }

    private static int take(ByteBuffer bytes, int most, ByteArrayOutputStream into) {
        int count = Math.min(most, bytes.remaining());
        for (int i = 0; i < count; i++) {
            into.write(bytes.get());
        }
        return count;
    }
}
