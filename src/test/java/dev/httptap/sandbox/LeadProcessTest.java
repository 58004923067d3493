package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadProcessTest {
    private static final String EARLY = "1234 /home/u/.cache/httptap/ca";

    @Test
    void aLeadThatStartedTheCommandIsToldOfTheEnd() {
        assertTrue(LeadProcess.toldOfTheEnd(Map.of("HTTPTAP_EARLY_START", EARLY)));
        assertTrue(LeadProcess.toldOfTheEnd(Map.of("HTTPTAP_EARLY_START", EARLY, "HTTPTAP_JAVA_OPTS", " ")));
    }

    @Test
    void noLeadOrAJvmWithExtraOptionsIsWaitedFor() {
        assertFalse(LeadProcess.toldOfTheEnd(Map.of()), "no lead: this JVM is httptap's process");
        assertFalse(LeadProcess.toldOfTheEnd(Map.of("HTTPTAP_EARLY_MISS", "no plan yet")), "the lead became this JVM");
        assertFalse(LeadProcess.toldOfTheEnd(Map.of("HTTPTAP_EARLY_START", EARLY,
                "HTTPTAP_JAVA_OPTS", "-XX:StartFlightRecording=filename=run.jfr")), "its recording is written at its exit");
    }
}
