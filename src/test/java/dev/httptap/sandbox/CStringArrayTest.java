package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.tun.Native;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

class CStringArrayTest {
    @Test
    void holdsEachStringNulTerminatedAndEndsWithANullPointer() {
        CStringArray array = CStringArray.of(Native.runtime(), List.of("sh", "-c", "écho"));
        Pointer pointer = array.pointer();

        assertEquals("sh", cString(pointer.getPointer(0)));
        assertEquals("-c", cString(pointer.getPointer(8)));
        assertEquals("écho", cString(pointer.getPointer(16)));
        assertEquals(0, pointer.getAddress(24));
    }

    @Test
    void anEmptyListIsJustTheNullPointer() {
        assertEquals(0, CStringArray.of(Native.runtime(), List.of()).pointer().getAddress(0));
    }

    /** Reads up to the NUL, as C would. */
    private static String cString(Pointer string) {
        int length = 0;
        while (string.getByte(length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        string.get(0, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
