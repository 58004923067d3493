package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeadEnvironmentTest {
    @Test
    void withoutTheLeadNothingIsSet() {
        LeadEnvironment lead = LeadEnvironment.from(Map.of("HOME", "/root"));

        assertEquals(new LeadEnvironment(Optional.empty(), false, "", Set.of(), Optional.empty()), lead);
    }

    @Test
    void anEarlyStartGivesTheCommandsPidAndTheCaDirectory() {
        LeadEnvironment lead = LeadEnvironment.from(Map.of("HTTPTAP_EARLY_START", "4242 /home/u/.cache/httptap/ca/17-ab cd"));

        assertEquals(Optional.of(new LeadEnvironment.EarlyStart(4242, Path.of("/home/u/.cache/httptap/ca/17-ab cd"))),
                lead.earlyStart());
        assertTrue(lead.led());
    }

    @Test
    void aMissStillCountsAsLedSoThatAPlanIsWritten() {
        LeadEnvironment lead = LeadEnvironment.from(Map.of("HTTPTAP_EARLY_MISS", "no plan yet",
                "HTTPTAP_CLOSED_FDS", "0,2", "HTTPTAP_HELPER", "/opt/httptap/httptap-helper"));

        assertTrue(lead.led());
        assertEquals(Optional.empty(), lead.earlyStart());
        assertEquals("no plan yet", lead.missReason());
        assertEquals(Set.of(0, 2), lead.closedDescriptors());
        assertEquals(Optional.of(Path.of("/opt/httptap/httptap-helper")), lead.helper());
    }

    @Test
    void anEmptyClosedListAndARelativeHelperAreNothing() {
        LeadEnvironment lead = LeadEnvironment.from(Map.of("HTTPTAP_EARLY_MISS", "", "HTTPTAP_CLOSED_FDS", "",
                "HTTPTAP_HELPER", "httptap-helper"));

        assertTrue(lead.led());
        assertEquals(Set.of(), lead.closedDescriptors());
        assertEquals(Optional.empty(), lead.helper());
    }

    @Test
    void valuesTheLeadNeverSetsAreRefused() {
        for (String early : new String[] {"", "42", "0 /ca", "-1 /ca", "x /ca", "42 relative/ca", "12345678901 /ca",
                "42  /ca"}) {
            assertThrows(IllegalArgumentException.class, () -> LeadEnvironment.from(Map.of("HTTPTAP_EARLY_START", early)),
                    early);
        }
        for (String closed : new String[] {"3", "0,,x", "-1", "0;2"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> LeadEnvironment.from(Map.of("HTTPTAP_CLOSED_FDS", closed)), closed);
        }
    }

    @Test
    void theCommandGetsNoneOfTheLeadsVariables() {
        Map<String, String> environment = Map.of("PATH", "/bin", "HTTPTAP_EARLY_START", "1 /ca",
                "HTTPTAP_EARLY_MISS", "why", "HTTPTAP_CLOSED_FDS", "0", "HTTPTAP_HELPER", "/h",
                "HTTPTAP_VERBOSE", "1");

        assertEquals(Map.of("PATH", "/bin", "HTTPTAP_VERBOSE", "1"), LeadEnvironment.withoutLeadVariables(environment));
        assertFalse(environment.isEmpty(), "the caller's map is left alone");
    }

    @Test
    void theJvmsSuspendSignalLeavesOnlyWhenTheLauncherSetIt() {
        assertEquals(Map.of("PATH", "/bin"), LeadEnvironment.withoutLeadVariables(
                Map.of("PATH", "/bin", "_JAVA_SR_SIGNUM", "40", "HTTPTAP_SR_SIGNUM", "40")));
        assertEquals(Map.of("PATH", "/bin", "_JAVA_SR_SIGNUM", "50"), LeadEnvironment.withoutLeadVariables(
                Map.of("PATH", "/bin", "_JAVA_SR_SIGNUM", "50")), "the user's own value");
    }
}
