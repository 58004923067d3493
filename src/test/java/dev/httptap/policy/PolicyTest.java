package dev.httptap.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyTest {
    private static final InetSocketAddress REGISTRY = new InetSocketAddress("192.0.2.7", 443);

    /** A policy of "allow X" / "deny X" words. */
    private static Policy policy(String... rules) {
        List<Rule> parsed = new ArrayList<>();
        for (String rule : rules) {
            String[] words = rule.split(" ");
            parsed.add(Rule.fromOption(Rule.Action.valueOf(words[0].toUpperCase()), words[1]));
        }
        return new Policy(parsed);
    }

    private static Verdict decide(Policy policy, String name, String address, int port) {
        return policy.decide(Optional.ofNullable(name), new InetSocketAddress(address, port));
    }

    @Test
    void withoutRulesEverythingIsAllowed() {
        assertTrue(Policy.ALLOW_ALL.allowsEverything());
        assertTrue(decide(Policy.ALLOW_ALL, "anything.test", "192.0.2.7", 1).allowed());
    }

    @Test
    void anAllowDeniesEverythingElseAndSaysSo() {
        Policy policy = policy("allow registry.example.org:443");
        assertEquals(new Verdict(true, "--allow registry.example.org:443"), decide(policy, "registry.example.org", "192.0.2.7", 443));
        assertEquals(new Verdict(false, Verdict.NOT_ALLOWED), decide(policy, "registry.example.org", "192.0.2.7", 80),
                "another port of the same host");
        assertFalse(decide(policy, "other.example.org", "192.0.2.7", 443).allowed());
        assertFalse(decide(policy, null, "192.0.2.7", 443).allowed(), "the address alone is not the name");
    }

    @Test
    void aDenyWinsOverAnAllowWhateverTheOrder() {
        Policy allowFirst = policy("allow *.example.org", "deny evil.example.org");
        Policy denyFirst = policy("deny evil.example.org", "allow *.example.org");
        for (Policy policy : List.of(allowFirst, denyFirst)) {
            assertEquals(new Verdict(false, "--deny evil.example.org"), decide(policy, "evil.example.org", "192.0.2.7", 443));
            assertTrue(decide(policy, "good.example.org", "192.0.2.7", 443).allowed());
        }
    }

    @Test
    void denyRulesAloneLeaveTheRestAllowed() {
        Policy policy = policy("deny *.tracker.test", "deny 10.0.0.0/8:53");
        assertFalse(decide(policy, "a.tracker.test", "192.0.2.7", 443).allowed());
        assertFalse(decide(policy, null, "10.1.2.3", 53).allowed());
        assertTrue(decide(policy, null, "10.1.2.3", 54).allowed());
        assertTrue(decide(policy, "tracker.test.example", "192.0.2.7", 443).allowed());
    }

    @Test
    void cidrsOfBothVersionsMatchTheAddressWhateverTheName() {
        Policy policy = policy("allow 10.0.0.0/8", "allow 2001:db8::/32", "deny 10.9.0.0/16");
        assertTrue(decide(policy, "internal.test", "10.255.0.1", 443).allowed());
        assertFalse(decide(policy, null, "11.0.0.1", 443).allowed());
        assertFalse(decide(policy, null, "10.9.1.1", 443).allowed(), "the narrower deny wins");
        assertTrue(decide(policy, null, "2001:db8:ffff::1", 443).allowed());
        assertFalse(decide(policy, null, "2001:db9::1", 443).allowed());
    }

    @Test
    void cidrEdges() {
        assertTrue(decide(policy("allow 0.0.0.0/0"), null, "203.0.113.9", 1).allowed());
        assertTrue(decide(policy("allow ::/0"), null, "2001:db8::1", 1).allowed());
        assertFalse(decide(policy("allow ::/0"), null, "203.0.113.9", 1).allowed(), "a v6 block holds no v4 address");
        Policy v6 = policy("allow [2001:db8:0:0:8000::/65]:443");
        assertTrue(decide(v6, null, "2001:db8::8000:0:0:1", 443).allowed());
        assertFalse(decide(v6, null, "2001:db8::7fff:0:0:1", 443).allowed(), "bit 65 differs");
        assertFalse(decide(v6, null, "2001:db8::8000:0:0:1", 80).allowed());
        assertTrue(decide(policy("allow 192.0.2.0/24:443"), null, "192.0.2.200", 443).allowed());
    }

    @Test
    void badCidrsSayWhatIsWrong() {
        assertEquals("--allow '10.0.0.0/33': '/33' is not a prefix length (0-32)",
                assertThrows(IllegalArgumentException.class, () -> policy("allow 10.0.0.0/33")).getMessage());
        assertEquals("--deny 'name.test/8': a host may hold only letters, digits, '.', '-', '_' and '*'",
                assertThrows(IllegalArgumentException.class, () -> policy("deny name.test/8")).getMessage());
        assertEquals("--allow '::/129': '/129' is not a prefix length (0-128)",
                assertThrows(IllegalArgumentException.class, () -> policy("allow ::/129")).getMessage());
    }

    @Test
    void aDeniedNameIsOneNoRuleCouldAllowOnAnyPort() {
        Policy allowOne = policy("allow registry.example.org:443", "deny *.tracker.test");
        assertFalse(allowOne.deniesName("registry.example.org"));
        assertTrue(allowOne.deniesName("other.example.org"));
        assertTrue(allowOne.deniesName("a.tracker.test"));
        assertFalse(policy("allow 10.0.0.0/8").deniesName("any.test"), "its addresses might be allowed");
        assertFalse(policy("deny name.test:80").deniesName("name.test"), "other ports are allowed");
        assertFalse(Policy.ALLOW_ALL.deniesName("name.test"));
    }

    @Test
    void onlyAnAllowedGlobCanAllowALaterName() {
        assertTrue(policy("allow *.example.org").allowsSomeName());
        assertFalse(policy("allow 10.0.0.0/8", "deny x.test").allowsSomeName());
    }
}
