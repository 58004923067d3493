package dev.httptap.relay;

import dev.httptap.stack.StackConfig;
import dev.httptap.wire.Ipv4Address;
import dev.httptap.wire.Ipv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the relay needs to know about the child's network and the host's.
 *
 * @param gateway where the child's default route and resolv.conf point; it answers DNS on port 53
 * @param hostAliasName the name the child can use for the host, answered locally
 * @param hostAliasAddress the address of that name; connections to it are dialled to 127.0.0.1
 * @param dnsServers the host's resolvers, tried in order; TCP DNS goes to the first
 * @param tcpConnectTimeout how long a dial to the real destination may take before the child is told the
 *     host is unreachable. The default is a little above Linux's own (about 127 s with tcp_syn_retries 6):
 *     the child's kernel gives up on its own first, so the child sees the same "timed out" as without us.
 * @param udpIdleTimeout how long a UDP flow lives without traffic
 * @param dnsIdleTimeout the same for flows to the gateway's DNS port, which are short-lived
 * @param dnsServerTimeout how long to wait for one resolver before asking the next
 * @param maxUdpFlows bound on open UDP flows (and separately on DNS flows), each a socket; the least
 *     recently used goes
 * @param ipv6 the child's IPv6 gateway and host alias, or null when the child has no IPv6
 * @param allowQuic relay UDP to port 443 like any UDP, instead of refusing it so clients fall back to TCP
 */
public record RelayConfig(
        Inet4Address gateway,
        String hostAliasName,
        Inet4Address hostAliasAddress,
        List<InetSocketAddress> dnsServers,
        StackConfig stack,
        Duration tcpConnectTimeout,
        Duration udpIdleTimeout,
        Duration dnsIdleTimeout,
        Duration dnsServerTimeout,
        int maxUdpFlows,
        Ipv6 ipv6,
        boolean allowQuic) {
    public static final int DNS_PORT = 53;

    /**
     * The IPv6 twins of {@code gateway} and {@code hostAliasAddress}: connections to {@code hostAlias} are
     * dialled to ::1, and {@code hostAliasName} has it as its AAAA record.
     */
    public record Ipv6(Inet6Address gateway, Inet6Address hostAlias) {
        /**
         * The host alias {@value #HOST_ALIAS}: the IPv4 alias 169.254.77.65 (a9fe:4d41) inside the child's
         * IPv6 prefix, so both are easy to recognise as the same thing.
         */
        public static final String HOST_ALIAS = "fd77:6874:7470::a9fe:4d41";

        /** The given gateway (the child's IPv6 default route) with the usual host alias. */
        public static Ipv6 withGateway(Inet6Address gateway) {
            return new Ipv6(gateway, Ipv6Address.parse(HOST_ALIAS).toInetAddress());
        }
    }

    public RelayConfig {
        dnsServers = List.copyOf(dnsServers);
        if (dnsServers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS server is needed");
        }
    }

    /**
     * The defaults, with the DNS servers of the host's /etc/resolv.conf (127.0.0.1 if it names none), without
     * IPv6 (see {@link #withIpv6}).
     */
    public static RelayConfig defaults() {
        return new RelayConfig(
                ipv4(10, 1, 1, 1),
                "host.httptap.local",
                ipv4(169, 254, 77, 65),
                hostDnsServers(Path.of("/etc/resolv.conf")),
                StackConfig.defaults(),
                Duration.ofSeconds(135),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                8192,
                null,
                false);
    }

    public RelayConfig withDnsServers(List<InetSocketAddress> servers) {
        return new RelayConfig(gateway, hostAliasName, hostAliasAddress, servers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, dnsServerTimeout, maxUdpFlows, ipv6, allowQuic);
    }

    public RelayConfig withDnsServerTimeout(Duration timeout) {
        return new RelayConfig(gateway, hostAliasName, hostAliasAddress, dnsServers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, timeout, maxUdpFlows, ipv6, allowQuic);
    }

    /** With the child's IPv6 addresses, or null when the child has no IPv6. */
    public RelayConfig withIpv6(Ipv6 addresses) {
        return new RelayConfig(gateway, hostAliasName, hostAliasAddress, dnsServers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, dnsServerTimeout, maxUdpFlows, addresses, allowQuic);
    }

    /** With another IPv4 gateway (--gateway). */
    public RelayConfig withGateway(Inet4Address address) {
        return new RelayConfig(address, hostAliasName, hostAliasAddress, dnsServers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, dnsServerTimeout, maxUdpFlows, ipv6, allowQuic);
    }

    /** Whether UDP to port 443 (QUIC) is relayed (--allow-quic) or refused. */
    public RelayConfig withAllowQuic(boolean allowed) {
        return new RelayConfig(gateway, hostAliasName, hostAliasAddress, dnsServers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, dnsServerTimeout, maxUdpFlows, ipv6, allowed);
    }

    static List<InetSocketAddress> hostDnsServers(Path resolvConf) {
        List<InetAddress> servers = ResolvConf.nameservers(resolvConf);
        if (servers.isEmpty()) {
            servers = List.of(ipv4(127, 0, 0, 1));
        }
        return servers.stream().map(address -> new InetSocketAddress(address, DNS_PORT)).toList();
    }

    /** ::1. */
    static Inet6Address ipv6Loopback() {
        return Ipv6Address.parse("::1").toInetAddress();
    }

    static Inet4Address ipv4(int a, int b, int c, int d) {
        return Ipv4Address.of(a, b, c, d).toInetAddress();
    }
}
