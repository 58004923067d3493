package dev.httptap.sandbox;

import dev.httptap.wire.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything needed to start a command in its sandbox.
 *
 * @param command the command and its arguments, looked up in {@code environment}'s PATH
 * @param environment the command's complete environment
 * @param tunName the TUN interface's name inside the namespace (1 to 15 characters)
 * @param address the command's IPv4 address on the TUN device
 * @param prefixLength the TUN subnet's prefix length
 * @param gateway the default route's next hop; must lie in the subnet and differ from {@code address}
 * @param mtu the TUN device's MTU; large values let the kernel send ~64 KiB TCP segments
 * @param newUserNamespace false for {@code --no-new-user-namespace}, which only root may use
 * @param user the account to run the command as (name or uid), or null to keep the caller's
 * @param insideIds the uid and gid the command sees inside its user namespace
 * @param bindMounts files the command sees in place of others, applied in order
 * @param verbose whether the helper prints what it does
 * @param ipv6 the TUN device's IPv6 address and route, or null for IPv4 only (IPv6 then switched off on it)
 * @param closedDescriptors standard descriptors (0, 1, 2) httptap was started without: the command gets
 *     them closed too, not the /dev/null httptap holds in their place
 */
public record SandboxSpec(
        List<String> command,
        Map<String, String> environment,
        String tunName,
        Inet4Address address,
        int prefixLength,
        Inet4Address gateway,
        int mtu,
        boolean newUserNamespace,
        String user,
        InsideIds insideIds,
        List<BindMount> bindMounts,
        boolean verbose,
        TunIpv6 ipv6,
        Set<Integer> closedDescriptors) {

    public static final int DEFAULT_MTU = 65520;
    /** IPv6 needs links of at least this MTU (RFC 8200 section 5). */
    public static final int IPV6_MINIMUM_MTU = 1280;

    public SandboxSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        bindMounts = List.copyOf(bindMounts);
        closedDescriptors = Set.copyOf(closedDescriptors);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(insideIds, "insideIds");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        if (tunName.isEmpty() || tunName.length() > 15 || tunName.contains("/") || tunName.contains(" ")) {
            throw new IllegalArgumentException("bad TUN name '" + tunName + "': 1 to 15 characters, no '/' or space");
        }
        if (prefixLength < 1 || prefixLength > 30) {
            throw new IllegalArgumentException("prefix length must be 1 to 30, not " + prefixLength);
        }
        if (!sameSubnet(address, gateway, prefixLength) || address.equals(gateway)) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress() + " must be another address in "
                    + address.getHostAddress() + "/" + prefixLength);
        }
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be 576 to 65535, not " + mtu);
        }
        if (!Set.of(0, 1, 2).containsAll(closedDescriptors)) {
            throw new IllegalArgumentException("only standard descriptors (0, 1, 2) can be closed, not " + closedDescriptors);
        }
        if (ipv6 != null && mtu < IPV6_MINIMUM_MTU) {
            throw new IllegalArgumentException("IPv6 needs an MTU of at least " + IPV6_MINIMUM_MTU + ", not " + mtu);
        }
    }

    /** IPv4 only. */
    public SandboxSpec(List<String> command, Map<String, String> environment, String tunName, Inet4Address address,
            int prefixLength, Inet4Address gateway, int mtu, boolean newUserNamespace, String user,
            List<BindMount> bindMounts, boolean verbose) {
        this(command, environment, tunName, address, prefixLength, gateway, mtu, newUserNamespace, user,
                InsideIds.USUAL, bindMounts, verbose, null, Set.of());
    }

    /**
     * The usual sandbox for {@code command}: this process's environment, TUN device {@code httptap0} with
     * 10.1.1.100/24, gateway 10.1.1.1, MTU 65520, a new user namespace, the caller's identity, no mounts,
     * no IPv6.
     */
    public static SandboxSpec of(List<String> command) {
        return new SandboxSpec(command, System.getenv(), "httptap0", ipv4("10.1.1.100"), 24, ipv4("10.1.1.1"),
                DEFAULT_MTU, true, null, List.of(), false);
    }

    public SandboxSpec withEnvironment(Map<String, String> newEnvironment) {
        return new SandboxSpec(command, newEnvironment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, user, insideIds, bindMounts, verbose, ipv6, closedDescriptors);
    }

    public SandboxSpec withUser(String newUser) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, newUser, insideIds, bindMounts, verbose, ipv6, closedDescriptors);
    }

    /** With the uid and gid the command sees inside its user namespace. */
    public SandboxSpec withInsideIds(InsideIds newInsideIds) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, user, newInsideIds, bindMounts, verbose, ipv6, closedDescriptors);
    }

    public SandboxSpec withNewUserNamespace(boolean enabled) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                enabled, user, insideIds, bindMounts, verbose, ipv6, closedDescriptors);
    }

    public SandboxSpec withBindMounts(List<BindMount> newBindMounts) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, user, insideIds, newBindMounts, verbose, ipv6, closedDescriptors);
    }

    public SandboxSpec withVerbose(boolean enabled) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, user, insideIds, bindMounts, enabled, ipv6, closedDescriptors);
    }

    /** With an IPv6 address and default route on the TUN device, or null for IPv4 only. */
    public SandboxSpec withIpv6(TunIpv6 newIpv6) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, user, insideIds, bindMounts, verbose, newIpv6, closedDescriptors);
    }

    /** With the standard descriptors the command gets closed. */
    public SandboxSpec withClosedDescriptors(Set<Integer> descriptors) {
        return new SandboxSpec(command, environment, tunName, address, prefixLength, gateway, mtu,
                newUserNamespace, user, insideIds, bindMounts, verbose, ipv6, descriptors);
    }

    private static boolean sameSubnet(Inet4Address a, Inet4Address b, int prefixLength) {
        return Ipv4Address.of(a).sameSubnet(Ipv4Address.of(b), prefixLength);
    }

    private static Inet4Address ipv4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
