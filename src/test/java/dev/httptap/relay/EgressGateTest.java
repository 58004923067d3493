package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.event.Blocked;
import dev.httptap.event.EgressListener;
import dev.httptap.event.Reached;
import dev.httptap.policy.Policy;
import dev.httptap.policy.Rule;
import dev.httptap.stack.FlowId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The egress decisions fed with flows and DNS answers, without sockets. */
class EgressGateTest {
    /** The answer to "registry.test A": 192.0.2.7. */
    private static final byte[] REGISTRY_ANSWER = HexFormat.of().parseHex(("0102 8180 0001 0001 0000 0000"
            + " 08 7265676973747279 04 74657374 00 0001 0001"
            + " c00c 0001 0001 0000003c 0004 c0000207").replace(" ", ""));
    private static final ServerNameCheck.Source TLS = ServerNameCheck.Source.TLS_SERVER_NAME;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.1.1.100", 40000);

    private final List<Object> events = new ArrayList<>();
    private final HostNames names = new HostNames();
    private final EgressListener listener = new EgressListener() {
        @Override
        public void onBlocked(Blocked blocked) {
            events.add(blocked);
        }

        @Override
        public void onReached(Reached reached) {
            events.add(reached);
        }
    };

    private EgressGate gate(boolean denyDns, boolean audit, String... allowThenDeny) {
        List<Rule> rules = new ArrayList<>();
        for (String rule : allowThenDeny) {
            boolean deny = rule.startsWith("!");
            rules.add(Rule.fromOption(deny ? Rule.Action.DENY : Rule.Action.ALLOW, deny ? rule.substring(1) : rule));
        }
        EgressGate gate = new EgressGate(new Policy(rules), denyDns, audit, names, listener);
        gate.knowAlias("host.httptap.local", address("169.254.77.65"));
        return gate;
    }

    private static FlowId to(String address, int port) {
        return new FlowId(CLIENT, new InetSocketAddress(address(address), port));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void learnRegistry() {
        names.onAnswer(to("10.1.1.1", 53), ByteBuffer.wrap(REGISTRY_ANSWER));
    }

    @Test
    void aConnectionIsDecidedByTheNameTheChildsDnsGaveItsAddress() {
        EgressGate gate = gate(false, false, "registry.test:443");
        learnRegistry();

        assertTrue(gate.admitConnection(to("192.0.2.7", 443)).isPresent());
        assertFalse(gate.admitConnection(to("192.0.2.7", 80)).isPresent(), "another port of the same host");
        assertEquals(List.of(new Blocked("registry.test:80", "tcp", "no --allow matches", "connection reset")), events,
                "refused at once: the name is known, and no rule allows it on that port");
    }

    @Test
    void theHostAliasIsItsNameWithoutALookup() {
        EgressGate gate = gate(false, false, "host.httptap.local:8001");
        assertTrue(gate.admitConnection(to("169.254.77.65", 8001)).isPresent());
        assertFalse(gate.admitConnection(to("169.254.77.65", 8002)).isPresent());
        assertEquals(List.of(new Blocked("host.httptap.local:8002", "tcp", "no --allow matches", "connection reset")), events);
    }

    @Test
    void aDenyWinsAndNamesItsRule() {
        learnRegistry();
        EgressGate gate = gate(false, false, "*.test", "!registry.*");
        assertFalse(gate.admitConnection(to("192.0.2.7", 443)).isPresent());
        assertEquals(List.of(new Blocked("registry.test:443", "tcp", "--deny registry.*", "connection reset")), events);
    }

    @Test
    void theServerNameOfTheClientHelloIsDecidedAgain() {
        learnRegistry();
        EgressGate gate = gate(false, false, "registry.test");
        FlowId flow = to("192.0.2.7", 443);
        gate.watch(flow, gate.admitConnection(flow).orElseThrow(), new NothingHandler());

        assertFalse(gate.refusal(flow, Optional.of("evil.test"), TLS).isEmpty());
        assertTrue(gate.refusal(flow, Optional.of("REGISTRY.test"), TLS).isEmpty());
        assertTrue(gate.refusal(flow, Optional.empty(), TLS).isEmpty(), "allowed by its DNS name already");
        assertEquals(List.of(new Blocked("evil.test:443", "tls", "no --allow matches", "TLS alert access_denied")), events);
    }

    @Test
    void aTunnelThroughAProxyIsDecidedByItsOwnNameAndPort() {
        EgressGate gate = gate(false, false, "host.httptap.local:3128", "registry.test:443");
        FlowId toProxy = to("169.254.77.65", 3128);
        gate.watch(toProxy, gate.admitConnection(toProxy).orElseThrow(), new NothingHandler());
        ServerNameCheck tunnels = gate.inTunnelsOf(toProxy);
        FlowId tunnel = to("169.254.77.65", 443);

        assertTrue(tunnels.refusal(tunnel, Optional.of("registry.test"), TLS).isEmpty());
        assertFalse(tunnels.refusal(tunnel, Optional.of("evil.test"), TLS).isEmpty());
        assertFalse(tunnels.refusal(to("169.254.77.65", 8443), Optional.of("registry.test"), TLS).isEmpty(), "another port");
        assertTrue(gate.inTunnelsOf(to("169.254.77.65", 9999)).refusal(tunnel, Optional.of("evil.test"), TLS).isEmpty(),
                "a connection the gate does not follow (no policy on it) decides nothing");
        assertEquals(List.of(new Blocked("evil.test:443", "tls", "no --allow matches", "TLS alert access_denied"),
                new Blocked("registry.test:8443", "tls", "no --allow matches", "TLS alert access_denied")), events);
    }

    @Test
    void anAddressWithoutANameWaitsForTheServerNameWhenOnlyAGlobCouldAllowIt() {
        EgressGate gate = gate(false, false, "registry.test:443");
        FlowId named = to("192.0.2.7", 443);
        FlowId unnamed = to("192.0.2.8", 443);
        gate.watch(named, gate.admitConnection(named).orElseThrow(), new NothingHandler());
        gate.watch(unnamed, gate.admitConnection(unnamed).orElseThrow(), new NothingHandler());

        assertTrue(gate.refusal(named, Optional.of("registry.test"), TLS).isEmpty(), "the SNI allows it");
        assertFalse(gate.refusal(unnamed, Optional.empty(), TLS).isEmpty(), "no name came: the address decides");
        FlowId plain = to("192.0.2.8", 80);
        gate.watch(plain, gate.admitConnection(plain).orElseThrow(), new NothingHandler());
        assertFalse(gate.refusal(plain, Optional.empty(), ServerNameCheck.Source.HTTP_HOST).isEmpty());
        assertEquals(List.of(
                new Blocked("192.0.2.8:443", "tls", "no --allow matches", "TLS alert access_denied, no server name"),
                new Blocked("192.0.2.8:80", "tcp", "no --allow matches", "connection reset once connected, no server name")),
                events);
        assertFalse(gate(false, false, "10.0.0.0/8").admitConnection(unnamed).isPresent(),
                "no glob could allow a name: refused at once");
    }

    @Test
    void theHostOfAPlainRequestIsDecidedAgainAndRefusedInHttp() {
        EgressGate gate = gate(false, false, "host.httptap.local:8001");
        FlowId flow = to("169.254.77.65", 8001);
        gate.watch(flow, gate.admitConnection(flow).orElseThrow(), new NothingHandler());

        assertTrue(gate.refusal(flow, Optional.of("169.254.77.65"), ServerNameCheck.Source.HTTP_HOST).isEmpty(), "an address names nothing");
        assertTrue(gate.refusal(flow, Optional.of("fd77:6874:7470::a9fe:4d41"), ServerNameCheck.Source.HTTP_HOST).isEmpty());
        assertFalse(gate.refusal(flow, Optional.of("fronted.test"), ServerNameCheck.Source.HTTP_HOST).isEmpty());
        assertEquals(List.of(new Blocked("fronted.test:8001", "http", "no --allow matches", "HTTP 403 Forbidden")), events);
        assertTrue(gate(false, false).decidesNames() == false && gate.decidesNames(), "names matter only with rules");
    }

    @Test
    void datagramsAreDecidedLikeConnections() {
        EgressGate gate = gate(false, false, "!host.httptap.local:9999");
        assertFalse(gate.admitsDatagram(to("169.254.77.65", 9999), 5));
        assertTrue(gate.admitsDatagram(to("169.254.77.65", 9998), 5));
        assertEquals(List.of(new Blocked("host.httptap.local:9999", "udp", "--deny host.httptap.local:9999",
                "ICMP port unreachable")), events);
    }

    @Test
    void theAuditTalliesWhatWentThrough() {
        learnRegistry();
        EgressGate gate = gate(false, true);
        FlowId flow = to("192.0.2.7", 443);
        FlowHandler handler = gate.watch(flow, gate.admitConnection(flow).orElseThrow(), new NothingHandler());
        handler.onClientData(ByteBuffer.allocate(100));
        handler.onServerData(ByteBuffer.allocate(2000));
        handler.onClose(false);
        assertTrue(gate.admitsDatagram(to("169.254.77.65", 53), 30));
        gate.replied(to("169.254.77.65", 53), 60);

        assertEquals(List.of(new Reached("registry.test:443", "tcp", 100, 2000),
                new Reached("host.httptap.local:53", "udp", 30, 0), new Reached("host.httptap.local:53", "udp", 0, 60)),
                events);
    }

    @Test
    void aConnectionANameLetThroughIsTalliedAsThatOneThoughALaterRequestWasDenied() {
        EgressGate gate = gate(false, true, "allowed.test", "host.httptap.local");
        FlowId flow = to("169.254.77.65", 443);
        FlowHandler handler = gate.watch(flow, gate.admitConnection(flow).orElseThrow(), new NothingHandler());
        assertTrue(gate.refusal(flow, Optional.of("allowed.test"), TLS).isEmpty());
        assertFalse(gate.refusal(flow, Optional.of("fronted.test"), ServerNameCheck.Source.HTTP2_AUTHORITY).isEmpty());
        handler.onClientData(ByteBuffer.allocate(10));
        handler.onClose(false);

        FlowId refusedAtOnce = to("169.254.77.65", 8001);
        FlowHandler other = gate.watch(refusedAtOnce, gate.admitConnection(refusedAtOnce).orElseThrow(), new NothingHandler());
        assertFalse(gate.refusal(refusedAtOnce, Optional.of("fronted.test"), ServerNameCheck.Source.HTTP_HOST).isEmpty());
        other.onClose(false);

        assertEquals(List.of(new Blocked("fronted.test:443", "http", "no --allow matches", "HTTP/2 403 Forbidden"),
                new Reached("allowed.test:443", "tcp", 10, 0),
                new Blocked("fronted.test:8001", "http", "no --allow matches", "HTTP 403 Forbidden")), events,
                "a connection refused at its first request reached nothing");
    }

    @Test
    void aRequestNamingAnotherPortIsDecidedOnThatPort() {
        EgressGate gate = gate(false, false, "allowed.test:443", "host.httptap.local:443");
        FlowId flow = to("169.254.77.65", 443);
        gate.watch(flow, gate.admitConnection(flow).orElseThrow(), new NothingHandler());
        assertTrue(gate.refusal(flow, Optional.of("allowed.test"), 443, ServerNameCheck.Source.HTTP2_AUTHORITY).isEmpty());
        assertFalse(gate.refusal(flow, Optional.of("allowed.test"), 8443, ServerNameCheck.Source.HTTP2_AUTHORITY).isEmpty());
        assertEquals(List.of(new Blocked("allowed.test:8443", "http", "no --allow matches", "HTTP/2 403 Forbidden")), events);
    }

    @Test
    void withoutPolicyOrAuditNothingIsFollowed() {
        EgressGate gate = EgressGate.open();
        FlowId flow = to("192.0.2.7", 443);
        EgressGate.Admission admission = gate.admitConnection(flow).orElseThrow();
        NothingHandler handler = new NothingHandler();
        assertTrue(gate.watch(flow, admission, handler) == handler, "the handler itself, no tallying");
        assertTrue(gate.refusal(flow, Optional.of("anything.test"), TLS).isEmpty());
    }

    @Test
    void denyDnsAnswersNxdomainOnlyForNamesNoRuleCouldAllow() {
        EgressGate gate = gate(true, false, "registry.test:443");
        assertFalse(gate.deniesLookup("registry.test"));
        assertTrue(gate.deniesLookup("evil.test"));
        assertFalse(gate(false, false, "registry.test:443").deniesLookup("evil.test"), "without --deny-dns, answered");
        assertEquals(List.of(new Blocked("evil.test", "dns", "--deny-dns: no rule allows the name", "NXDOMAIN")), events);
    }

    /** A connection's handler that does nothing. */
    private static final class NothingHandler implements FlowHandler {
        @Override
        public void onClientData(ByteBuffer data) {}

        @Override
        public void onServerData(ByteBuffer data) {}

        @Override
        public void onClientEnd() {}

        @Override
        public void onServerEnd() {}

        @Override
        public void onClose(boolean reset) {}
    }
}
