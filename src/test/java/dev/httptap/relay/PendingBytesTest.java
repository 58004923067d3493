package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PendingBytesTest {
    @Test
    void keepsOrderAcrossPartialDrains() {
        PendingBytes pending = new PendingBytes();
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
        PendingBytes pending = new PendingBytes();
        pending.add(ByteBuffer.allocate(PendingBytes.MAX_BYTES));
        assertEquals(PendingBytes.MAX_BYTES, pending.size());
        assertThrows(IllegalStateException.class, () -> pending.add(ByteBuffer.allocate(1)));
    }

    private static int take(ByteBuffer bytes, int most, ByteArrayOutputStream into) {
        int count = Math.min(most, bytes.remaining());
        for (int i = 0; i < count; i++) {
            into.write(bytes.get());
        }
        return count;
    }
}
