package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    private static final String EARLY = "1234 /home/u/.cache/httptap/ca";

    @Test
    void anEarlyStartedRunHaltsAtItsEnd() {
        assertTrue(Main.haltsAtTheEnd(Map.of("HTTPTAP_EARLY_START", EARLY)));
        assertTrue(Main.haltsAtTheEnd(Map.of("HTTPTAP_EARLY_START", EARLY, "HTTPTAP_JAVA_OPTS", " ")));
    }

    @Test
    void theSlowPathAndAJvmWithTheUsersOptionsExitAsUsual() {
        assertFalse(Main.haltsAtTheEnd(Map.of()), "no lead");
        assertFalse(Main.haltsAtTheEnd(Map.of("HTTPTAP_EARLY_MISS", "no plan yet")), "the lead became this JVM");
        assertFalse(Main.haltsAtTheEnd(Map.of("HTTPTAP_EARLY_START", EARLY,
                "HTTPTAP_JAVA_OPTS", "-XX:StartFlightRecording=filename=run.jfr")), "its recording is written at its exit");
    }
}
