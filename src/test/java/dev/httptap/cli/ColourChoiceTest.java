package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ColourChoiceTest {
    @Test
    void colourOnlyOnATerminal() {
        assertTrue(ColourChoice.decide("/dev/pts/3", Map.of("TERM", "xterm-256color")));
        assertTrue(ColourChoice.decide("/dev/tty1", Map.of()));
        assertFalse(ColourChoice.decide("pipe:[12345]", Map.of()));
        assertFalse(ColourChoice.decide("/home/u/out.log", Map.of()));
        assertFalse(ColourChoice.decide("/dev/null", Map.of()));
        assertFalse(ColourChoice.decide("", Map.of()));
    }

    @Test
    void noColourAndDumbTerminalsTurnItOff() {
        assertFalse(ColourChoice.decide("/dev/pts/3", Map.of("NO_COLOR", "1")));
        assertTrue(ColourChoice.decide("/dev/pts/3", Map.of("NO_COLOR", "")), "an empty NO_COLOR is unset");
        assertFalse(ColourChoice.decide("/dev/pts/3", Map.of("TERM", "dumb")));
    }
}
