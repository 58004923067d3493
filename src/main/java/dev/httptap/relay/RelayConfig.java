package dev.httptap.relay;

import dev.httptap.stack.StackConfig;
import java.net.Inet4Address;
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
 * @param maxUdpFlows bound on open UDP flows (and separately on DNS flows); the least recently used goes
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
        boolean allowQuic) {
    public static final int DNS_PORT = 53;

    public RelayConfig {
        dnsServers = List.copyOf(dnsServers);
        if (dnsServers.isEmpty()) {
            throw new IllegalArgumentException("at least one DNS server is needed");
        }
    }

    /** The defaults, with the DNS servers of the host's /etc/resolv.conf (127.0.0.1 if it names none). */
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
                1024,
                false);
    }

    public RelayConfig withDnsServers(List<InetSocketAddress> servers) {
        return new RelayConfig(gateway, hostAliasName, hostAliasAddress, servers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, dnsServerTimeout, maxUdpFlows, allowQuic);
    }

    public RelayConfig withDnsServerTimeout(Duration timeout) {
        return new RelayConfig(gateway, hostAliasName, hostAliasAddress, dnsServers, stack, tcpConnectTimeout,
                udpIdleTimeout, dnsIdleTimeout, timeout, maxUdpFlows, allowQuic);
    }

    static List<InetSocketAddress> hostDnsServers(Path resolvConf) {
        List<InetAddress> servers = ResolvConf.nameservers(resolvConf);
        if (servers.isEmpty()) {
            servers = List.of(ipv4(127, 0, 0, 1));
        }
        return servers.stream().map(address -> new InetSocketAddress(address, DNS_PORT)).toList();
    }

    static Inet4Address ipv4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four octets are always an address", e);
        }
    }
}
