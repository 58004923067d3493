package dev.httptap.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyFileTest {
    @Test
    void rulesCommentsAndBlankLines() {
        List<Rule> rules = PolicyFile.parse("ci.policy", List.of(
                "# what the build may reach",
                "allow registry.example.org:443",
                "",
                "   allow\t10.0.0.0/8   # the office",
                "deny *.tracker.test"));
        assertEquals(3, rules.size());
        assertEquals(Rule.Action.ALLOW, rules.get(0).action());
        assertEquals("ci.policy:2 allow registry.example.org:443", rules.get(0).origin());
        assertEquals("10.0.0.0/8", rules.get(1).pattern().toString());
        assertEquals(Rule.Action.DENY, rules.get(2).action());
        assertEquals("ci.policy:5 deny *.tracker.test", rules.get(2).origin());
    }

    @Test
    void errorsNameTheFileAndTheLine() {
        assertEquals("ci.policy:2: 'permit' is neither 'allow' nor 'deny'", error("# x", "permit a.test"));
        assertEquals("ci.policy:1: expected 'allow PATTERN' or 'deny PATTERN', got 'allow'", error("allow"));
        assertEquals("ci.policy:1: expected 'allow PATTERN' or 'deny PATTERN', got 'allow a.test b.test'",
                error("allow a.test b.test"));
        assertEquals("ci.policy:3 'a.test:0': '0' is not a port (1-65535)", error("", "", "deny a.test:0"));
    }

    @Test
    void anUnreadableFileIsAnErrorNamingIt() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PolicyFile.read(java.nio.file.Path.of("/nonexistent/ci.policy")));
        assertEquals(true, error.getMessage().startsWith("--policy /nonexistent/ci.policy: cannot read it"));
    }

    private static String error(String... lines) {
        return assertThrows(IllegalArgumentException.class, () -> PolicyFile.parse("ci.policy", List.of(lines)))
                .getMessage();
    }
}
