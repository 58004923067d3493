package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void normalExitGivesTheExitCode() {
        assertEquals(0, WaitStatus.exitCode(0x0000));
        assertEquals(3, WaitStatus.exitCode(0x0300));
        assertEquals(255, WaitStatus.exitCode(0xff00));
    }

    @Test
    void deathBySignalGives128PlusTheSignal() {
        assertEquals(143, WaitStatus.exitCode(15)); // SIGTERM
        assertEquals(137, WaitStatus.exitCode(9)); // SIGKILL
    }

    @Test
    void aCoreDumpDoesNotChangeTheCode() {
        assertEquals(134, WaitStatus.exitCode(0x80 | 6)); // SIGABRT with core
    }
}
