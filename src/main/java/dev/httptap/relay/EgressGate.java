package dev.httptap.relay;

import dev.httptap.event.Blocked;
import dev.httptap.event.EgressListener;
import dev.httptap.event.Reached;
import dev.httptap.log.Log;
import dev.httptap.policy.Policy;
import dev.httptap.policy.Verdict;
import dev.httptap.stack.FlowId;
import dev.httptap.wire.IpAddress;
import dev.httptap.wire.Ipv6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The egress policy where the relay is about to dial: each new TCP connection (a denied one is answered
 * with RST, as a closed port) and each UDP datagram (ICMP port unreachable) is decided by the name the
 * command used for its address (its DNS answer's name, or the host alias's name), else the address. A
 * connection to an address the command named by no name, which only an allow glob could admit, is dialled
 * and decided once its ClientHello or HTTP request names the server ({@link #refusal}); every other one is
 * decided again then, by that name. With --audit it also tallies the bytes of what it lets through. Tells
 * an {@link EgressListener}. Loop thread only.
 */
public final class EgressGate implements ServerNameCheck {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Policy policy;
    private final boolean denyDns;
    private final boolean audit;
    private final HostNames names;
    private final EgressListener listener;
    /** The host alias's name by its addresses' text. */
    private final Map<String, String> aliases = new HashMap<>();
    /** The connections the gate follows while they live (those it may decide again, or tallies). */
    private final Map<FlowId, Admission> live = new HashMap<>();

    /**
     * @param denyDns answer NXDOMAIN to a DNS query for a name the policy denies on every port
     * @param audit tell the listener what is reached, with its bytes
     * @param names the names of the addresses the child's DNS answers gave it
     */
    public EgressGate(Policy policy, boolean denyDns, boolean audit, HostNames names, EgressListener listener) {
        this.policy = policy;
        this.denyDns = denyDns;
        this.audit = audit;
        this.names = names;
        this.listener = listener;
    }

    /** Lets everything through and tallies nothing. */
    static EgressGate open() {
        return new EgressGate(Policy.ALLOW_ALL, false, false, new HostNames(), EgressListener.NONE);
    }

    /** {@code name} is what the child calls {@code address} when its DNS did not say otherwise. */
    void knowAlias(String name, InetAddress address) {
        aliases.put(IpAddress.of(address).toString(), name);
    }

    /**
     * Whether the child's SYN for {@code flow} may be dialled: empty when not, and the refusal is reported;
     * else what the gate keeps of it, for {@link #watch} once it is connected.
     */
    Optional<Admission> admitConnection(FlowId flow) {
        if (policy.allowsEverything() && !audit) {
            return Optional.of(Admission.UNWATCHED);
        }
        Optional<String> name = nameOf(flow.server());
        String destination = HostNames.describe(name, flow.server());
        Verdict verdict = policy.decide(name, flow.server());
        if (verdict.allowed()) {
            return Optional.of(new Admission(destination, null));
        }
        if (name.isEmpty() && policy.allowsSomeName()) {
            Log.verbose("%s: %s is allowed only by name: deciding when the ClientHello names it", flow, destination);
            return Optional.of(new Admission(destination, verdict.reason()));
        }
        Log.verbose("%s: %s is blocked (%s): refusing", flow, destination, verdict.reason());
        report(new Blocked(destination, "tcp", verdict.reason(), "connection reset"));
        return Optional.empty();
    }

    /**
     * The handler of a connection {@link #admitConnection} let through, now connected: followed while it
     * lives, so that {@link #refusal} can decide it again, and tallied for the audit.
     */
    FlowHandler watch(FlowId flow, Admission admission, FlowHandler handler) {
        if (admission == Admission.UNWATCHED) {
            return handler;
        }
        live.put(flow, admission);
        return new TallyingHandler(handler, (sent, received) -> {
            live.remove(flow);
            if (audit && !admission.blocked) {
                report(new Reached(admission.destination, "tcp", sent, received));
            }
        });
    }

    @Override
    public boolean decidesNames() {
        return !policy.allowsEverything();
    }

    /**
     * An address written as the name ({@code Host: 169.254.77.65}) names no server: the address decides.
     * A refused request on a connection that an earlier name let through leaves it named, and tallied, as
     * that one: it reached that server.
     */
    @Override
    public Optional<String> refusal(FlowId flow, Optional<String> name, int port, Source source) {
        Admission admission = live.get(flow);
        if (admission == null) {
            return Optional.empty();
        }
        Optional<String> serverName = name.filter(text -> !IPV4.matcher(text).matches() && Ipv6Address.ofLiteral(text).isEmpty());
        if (serverName.isPresent()) {
            String destination = serverName.get() + ":" + port;
            Verdict verdict = policy.decide(serverName, new InetSocketAddress(flow.server().getAddress(), port));
            if (!verdict.allowed()) {
                if (!admission.named) {
                    admission.destination = destination;
                    admission.blocked = true;
                }
                report(new Blocked(destination, source.protocol(), verdict.reason(), source.refusal()));
                return Optional.of(verdict.reason());
            }
            admission.destination = destination;
            admission.named = true;
            admission.blocked = false;
            admission.deniedUnlessNamed = null;
            return Optional.empty();
        }
        if (admission.deniedUnlessNamed != null) {
            admission.blocked = true;
            report(new Blocked(admission.destination, source.protocolWithoutName(), admission.deniedUnlessNamed,
                    source.refusalWithoutName()));
            return Optional.of(admission.deniedUnlessNamed);
        }
        return Optional.empty();
    }

    /**
     * A tunnel is decided by the name inside it (else its address) on its own port, and a refusal counts
     * against the connection to the proxy that carries it, whose own destination stays the proxy's.
     */
    @Override
    public ServerNameCheck inTunnelsOf(FlowId outer) {
        return (tunnel, name, port, source) -> {
            Admission admission = live.get(outer);
            if (admission == null) {
                return Optional.empty();
            }
            Optional<String> serverName = name.filter(text -> !IPV4.matcher(text).matches() && Ipv6Address.ofLiteral(text).isEmpty());
            InetSocketAddress server = new InetSocketAddress(tunnel.server().getAddress(), port);
            Verdict verdict = policy.decide(serverName, server);
            if (verdict.allowed()) {
                return Optional.empty();
            }
            admission.blocked = true;
            report(serverName.isPresent()
                    ? new Blocked(serverName.get() + ":" + port, source.protocol(), verdict.reason(), source.refusal())
                    : new Blocked(HostNames.describe(Optional.empty(), server), source.protocolWithoutName(),
                            verdict.reason(), source.refusalWithoutName()));
            return Optional.of(verdict.reason());
        };
    }

    /** Whether the child's datagram may be sent on; a refusal is reported, a datagram sent tallied. */
    boolean admitsDatagram(FlowId flow, int bytes) {
        if (policy.allowsEverything() && !audit) {
            return true;
        }
        Optional<String> name = nameOf(flow.server());
        String destination = HostNames.describe(name, flow.server());
        Verdict verdict = policy.decide(name, flow.server());
        if (!verdict.allowed()) {
            Log.verbose("%s: %s is blocked (%s): refusing", flow, destination, verdict.reason());
            report(new Blocked(destination, "udp", verdict.reason(), "ICMP port unreachable"));
            return false;
        }
        if (audit) {
            report(new Reached(destination, "udp", bytes, 0));
        }
        return true;
    }

    /** A datagram from an admitted UDP destination to the child, tallied for the audit. */
    void replied(FlowId flow, int bytes) {
        if (audit) {
            report(new Reached(HostNames.describe(nameOf(flow.server()), flow.server()), "udp", 0, bytes));
        }
    }

    /** With --deny-dns, whether a DNS query for {@code name} gets NXDOMAIN instead of an answer; reported. */
    boolean deniesLookup(String name) {
        if (!denyDns || !policy.deniesName(name)) {
            return false;
        }
        report(new Blocked(name, "dns", "--deny-dns: no rule allows the name", "NXDOMAIN"));
        return true;
    }

    private Optional<String> nameOf(InetSocketAddress server) {
        Optional<String> name = names.name(server.getAddress());
        return name.isPresent() ? name : Optional.ofNullable(aliases.get(IpAddress.of(server.getAddress()).toString()));
    }

    private void report(Blocked blocked) {
        tell(() -> listener.onBlocked(blocked));
    }

    private void report(Reached reached) {
        tell(() -> listener.onReached(reached));
    }

    /** A listener that throws must not stop the relay: it is noted and the relay carries on. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            Log.error("egress listener failed: %s", e);
        }
    }

    /** A connection let through at its SYN: as whom it is named, and whether it is still to be decided. */
    static final class Admission {
        /** For every connection when there is no policy and no audit: nothing to follow. */
        static final Admission UNWATCHED = new Admission("", null);

        String destination;
        /** The policy's reason to deny the address unless a server name admits it; null when allowed. */
        String deniedUnlessNamed;
        /** A server name the connection gave was allowed: it reached that server. */
        boolean named;
        /** Refused before anything reached a server: not tallied. */
        boolean blocked;

        Admission(String destination, String deniedUnlessNamed) {
            this.destination = destination;
            this.deniedUnlessNamed = deniedUnlessNamed;
        }
    }
}
