package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackChoiceTest {
    @Test
    void neitherGivenSaysNothing() {
        assertEquals(Optional.empty(), StackChoice.note(null, null));
        assertEquals(Optional.empty(), StackChoice.note(null, ""), "empty is unset, as for the other variables");
    }

    /** The original lowers the name before it compares. */
    @Test
    void bothNamesInAnyCaseAreAcceptedWithANote() {
        for (String name : new String[] {"gvisor", "homegrown", "GVisor", "HOMEGROWN"}) {
            assertTrue(StackChoice.note(name, null).orElseThrow().startsWith("--stack " + name + ": this implementation has one"));
        }
        assertTrue(StackChoice.note(null, "homegrown").orElseThrow().startsWith("HTTPTAP_STACK=homegrown: "));
    }

    @Test
    void theFlagWinsOverTheVariable() {
        assertTrue(StackChoice.note("gvisor", "bogus").orElseThrow().startsWith("--stack gvisor: "));
    }

    @Test
    void anyOtherNameIsAnErrorNamingWhereItCameFrom() {
        assertEquals("--stack lwip: expected gvisor or homegrown",
                assertThrows(IllegalArgumentException.class, () -> StackChoice.note("lwip", null)).getMessage());
        assertEquals("HTTPTAP_STACK=lwip: expected gvisor or homegrown",
                assertThrows(IllegalArgumentException.class, () -> StackChoice.note(null, "lwip")).getMessage());
    }
}
