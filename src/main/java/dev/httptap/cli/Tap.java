package dev.httptap.cli;

import dev.httptap.log.Log;
import dev.httptap.relay.DnsObserver;
import dev.httptap.relay.FlowHandlerFactory;
import dev.httptap.relay.Relay;
import dev.httptap.relay.RelayConfig;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.sandbox.BindMount;
import dev.httptap.sandbox.Sandbox;
import dev.httptap.sandbox.SandboxException;
import dev.httptap.sandbox.SandboxSpec;
import dev.httptap.sandbox.SignalForwarding;
import dev.httptap.sandbox.TunIpv6;
import dev.httptap.sink.DnsPrinter;
import dev.httptap.sink.PrintOptions;
import dev.httptap.sink.RoundFlush;
import dev.httptap.sink.TerminalPrinter;
import dev.httptap.sniff.HttpSniffer;
import dev.httptap.sniff.SniffOptions;
import dev.httptap.stack.StackConfig;
import dev.httptap.tls.ChildTrust;
import dev.httptap.tls.Interception;
import dev.httptap.tls.TlsStartup;
import dev.httptap.tun.PacketDevice;
import dev.httptap.tun.TracingDevice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * One run of httptap: starts the child paused in its namespaces, starts the relay on its TUN device with
 * the HTTP observers, lets the child go, and waits for it. Everything it made is removed when it ends.
 */
final class Tap {
    /**
     * How long the connections still open when the command exits may take to end by themselves (closes in
     * flight: the servers then see the command's FIN rather than a reset); no wait when none is open.
     */
    private static final Duration EXIT_GRACE = Duration.ofMillis(500);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS_PASS_THROUGH = PosixFilePermissions.fromString("rwx--x--x");

    private final TapSettings settings;
    private final PrintStream output;
    private final boolean colour;

    Tap(TapSettings settings, PrintStream output) {
        this.settings = settings;
        this.output = output;
        this.colour = useColour(output);
    }

    /** Returns the child's exit code. */
    int run() throws TapException {
        Path privateDir = createTempDir(OWNER_ONLY);
        Path trustDir = privateDir;
        try {
            if (childOpensTrustFiles()) {
                trustDir = createTempDir(OTHERS_PASS_THROUGH);
            }
            ChildTrust trust = prepareTrust(trustDir);
            // Overlaps the sandbox's start; closing it waits for its writes into trustDir.
            try (TlsStartup tls = TlsStartup.begin(settings.caFile(), settings.insecure(), trust)) {
                return runIn(privateDir, trust, tls);
            }
        } finally {
            if (trustDir != privateDir) {
                deleteRecursively(trustDir);
            }
            deleteRecursively(privateDir);
        }
    }

    /**
     * True when the child is another user ({@code --user}) that opens the CA files by their own paths
     * ({@code --no-overlay}: nothing mounted): they cannot be in the private directory, which it cannot enter.
     * They go in a directory of their own that others may pass through but not list or change; the files
     * hold only certificates, which are public (never the CA's key).
     */
    private boolean childOpensTrustFiles() {
        return settings.user() != null && !settings.overlay();
    }

    private int runIn(Path privateDir, ChildTrust trust, TlsStartup tls) throws TapException {
        TunIpv6 ipv6 = chooseIpv6();
        SandboxSpec spec = sandboxSpec(privateDir, trust).withIpv6(ipv6);
        RoundFlush printedLines = new RoundFlush(output);
        try (Sandbox sandbox = Sandbox.start(spec);
                Sinks sinks = Sinks.open(settings.recording(), terminalPrinter(printedLines), output, colour,
                        privateDir)) {
            HttpSniffer sniffer = new HttpSniffer(sinks.listener(),
                    new SniffOptions(settings.httpPorts(), settings.httpsPorts()));
            Interception interception = interception(sniffer, tls, sinks.upstreamObserver());
            DnsObserver dns = sinks.dnsObserver(settings.printDns() ? new DnsPrinter(output, colour) : DnsObserver.NONE);
            try (Relay relay = new Relay(device(sandbox), relayConfig(ipv6), interception, dns, sinks.upstreamObserver())) {
                relay.atEndOfEachRound(printedLines::endRound);
                relay.start();
                int exitCode;
                try (SignalForwarding forwarding = SignalForwarding.install(sandbox)) {
                    sandbox.release();
                    exitCode = sandbox.waitFor();
                }
                Log.verbose("the command exited with code %d", exitCode);
                if (settings.noExit()) {
                    serveUntilInterrupted();
                }
                relay.awaitTcpEnd(EXIT_GRACE);
                // Closing the device before the relay wakes the relay's reader at once; otherwise it
                // notices the stop only when its poll times out (up to 100 ms added to every run).
                sandbox.close();
                return exitCode;
            }
        } catch (SandboxException e) {
            throw new TapException(e.getMessage(), e);
        } catch (IOException e) {
            throw new TapException("cannot relay the command's traffic: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapException("interrupted while waiting for the command", e);
        }
    }

    /** The sandbox's TUN device, wrapped to print every TCP packet only when --dump-tcp asks (free otherwise). */
    private PacketDevice device(Sandbox sandbox) {
        return settings.dumpTcp() ? new TracingDevice(sandbox.device(), output) : sandbox.device();
    }

    /** HTTPS interception around the plain sniffer, once the child's trust files are filled. */
    private Interception interception(HttpSniffer sniffer, TlsStartup tls, UpstreamObserver upstreams)
            throws TapException {
        try {
            tls.awaitChildTrust();
            return new Interception(FlowHandlerFactory.observing(sniffer), sniffer.https(), settings.httpPorts(),
                    tls.context().withUpstreamObserver(upstreams));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new TapException(e.getMessage(), e);
        }
    }

    private static ChildTrust prepareTrust(Path privateDir) throws TapException {
        try {
            return ChildTrust.prepare(privateDir);
        } catch (IOException e) {
            throw new TapException("cannot create the CA files: " + e.getMessage(), e);
        }
    }

    private TerminalPrinter terminalPrinter(RoundFlush flush) {
        return new TerminalPrinter(output, new PrintOptions(colour, settings.printHeads(), settings.printBodies(),
                settings.maxBodyPrint()), flush);
    }

    /** The command gets IPv6 when this host has it, so it sees the same families it would see here. */
    private static TunIpv6 chooseIpv6() {
        if (!TunIpv6.hostHasIpv6()) {
            Log.verbose("this host has no IPv6 address: the command gets IPv4 only");
            return null;
        }
        return TunIpv6.defaults();
    }

    private RelayConfig relayConfig(TunIpv6 ipv6) {
        return RelayConfig.defaults()
                .withGateway(settings.gateway())
                .withIpv6(ipv6 == null ? null : RelayConfig.Ipv6.withGateway(ipv6.gateway()))
                .withAllowQuic(settings.allowQuic());
    }

    private SandboxSpec sandboxSpec(Path privateDir, ChildTrust trust) throws TapException {
        List<BindMount> mounts = new ArrayList<>();
        if (settings.overlay()) {
            // The child's DNS goes to the gateway, where the relay answers host.httptap.local itself.
            Path resolvConf = privateDir.resolve("resolv.conf");
            write(resolvConf, "nameserver " + settings.gateway().getHostAddress() + "\n");
            mounts.add(new BindMount(resolvConf, Path.of("/etc/resolv.conf")));
            // The child trusts the run's CA through the files its TLS libraries read by default.
            ChildTrust.bundleTargets().forEach(target -> mounts.add(new BindMount(trust.bundle(), target)));
            ChildTrust.javaTrustStoreTargets().forEach(target -> mounts.add(new BindMount(trust.javaTrustStore(), target)));
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(trust.environment(settings.overlay()));
        return new SandboxSpec(
                settings.command(),
                environment,
                settings.tunName(),
                settings.subnet().address(),
                settings.subnet().prefixLength(),
                settings.gateway(),
                StackConfig.defaults().mtu(),
                settings.newUserNamespace(),
                settings.user(),
                mounts,
                settings.verbose());
    }

    /** Colour only for a terminal, and never when the user set NO_COLOR (https://no-color.org). */
    private static boolean useColour(PrintStream output) {
        String noColour = System.getenv("NO_COLOR");
        return System.console() != null && output == System.out && (noColour == null || noColour.isEmpty());
    }

    /** With --no-exit: processes the command left behind keep their network until Ctrl-C or SIGTERM. */
    private static void serveUntilInterrupted() {
        Log.error("the command exited; still serving its network until interrupted (--no-exit)");
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : List.of("INT", "TERM", "HUP")) {
            Signal.handle(new Signal(name), signal -> stop.countDown());
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path createTempDir(Set<PosixFilePermission> permissions) throws TapException {
        try {
            Path dir = Files.createTempDirectory("httptap-", PosixFilePermissions.asFileAttribute(permissions));
            Files.setPosixFilePermissions(dir, permissions); // the umask may have taken some away
            return dir;
        } catch (IOException e) {
            throw new TapException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) throws TapException {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TapException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            Log.verbose("could not remove %s: %s", dir, e.getMessage());
        }
    }
}
