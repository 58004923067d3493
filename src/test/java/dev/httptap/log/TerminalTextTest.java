package dev.httptap.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void textWithoutControlsIsTheSameString() {
        String text = "GET https://example.test/caf\u00e9?q=\u2603 ~";
        assertSame(text, TerminalText.safe(text));
    }

    @Test
    void c0DelAndC1ControlsAreWrittenVisibly() {
        assertEquals("a\\x1b[2Jb", TerminalText.safe("a\u001b[2Jb"), "ESC: clearing the screen");
        assertEquals("x\\x9b31mred", TerminalText.safe("x\u009b31mred"), "CSI as one C1 byte");
        assertEquals("\\x00\\x07\\x09\\x0a\\x0d\\x7f\\x80\\x9f\u00a0", TerminalText.safe("\0\u0007\t\n\r\u007f\u0080\u009f\u00a0"));
    }
}
