package dev.httptap.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitReportTest {
    @Test
    void theLeadsExitLineGivesTheCode() {
        assertEquals(0, ExitReport.parse("exit 0"));
        assertEquals(7, ExitReport.parse("exit 7"));
        assertEquals(143, ExitReport.parse("exit 143"));
        assertEquals(255, ExitReport.parse("exit 255"));
    }

    @Test
    void endOfFileMeansTheLeadIsGoneAndTheCommandWasKilledWithIt() {
        assertEquals(128 + 9, ExitReport.LEAD_GONE);
        assertEquals(ExitReport.LEAD_GONE, ExitReport.parse(""));
    }

    @Test
    void anythingElseIsTakenAsTheLeadGone() {
        for (String line : new String[] {"exit 256", "exit 1000", "exit -1", "exit", "exit ", "exit 7 ", "exit 07x",
                "EXIT 7", "exit 1234", " exit 7", "quit 0"}) {
            assertEquals(ExitReport.LEAD_GONE, ExitReport.parse(line), line);
        }
    }
}
