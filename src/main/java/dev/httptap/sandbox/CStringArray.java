package dev.httptap.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A NULL-terminated {@code char *[]} in native memory, as execve(2) wants argv and envp. It holds its
 * strings too: native memory from jnr-ffi is freed when its Java object is collected, so the array must
 * stay reachable until the call that reads it has returned.
 */
final class CStringArray {
    private final Pointer array;
    private final List<Pointer> strings;

    private CStringArray(Pointer array, List<Pointer> strings) {
        this.array = array;
        this.strings = strings;
    }

    static CStringArray of(Runtime runtime, List<String> values) {
        int slot = runtime.addressSize();
        Pointer array = Memory.allocateDirect(runtime, (values.size() + 1) * slot, true); // zeroed: ends in NULL
        List<Pointer> strings = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Pointer string = cString(runtime, values.get(i));
            strings.add(string);
            array.putPointer((long) i * slot, string);
        }
        return new CStringArray(array, strings);
    }

    /** The array's address, valid while this object is reachable. */
    Pointer pointer() {
        return array;
    }

    private static Pointer cString(Runtime runtime, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Pointer string = Memory.allocateDirect(runtime, bytes.length + 1, true); // zeroed: ends in NUL
        string.put(0, bytes, 0, bytes.length);
        return string;
    }
}
