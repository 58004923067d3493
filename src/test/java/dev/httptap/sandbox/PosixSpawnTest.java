package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosixSpawnTest {
    @Test
    void aProgramNotOnThePathIsReportedWithTheErrorText() {
        IOException e = assertThrows(IOException.class,
                () -> PosixSpawn.start(List.of("httptap-no-such-program"), List.of(), 0));

        assertEquals("cannot start httptap-no-such-program: No such file or directory", e.getMessage());
    }
}
