package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelRandomTest {
    /** More numbers than one batch holds: the batch is refilled, and 5,000 draws of 32 bits do not repeat. */
    @Test
    void numbersKeepComingAcrossBatchesWithoutRepeating() {
        KernelRandom random = KernelRandom.open();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            seen.add(random.getAsInt());
        }
        assertTrue(seen.size() > 4_990, "distinct: " + seen.size());
    }
}
