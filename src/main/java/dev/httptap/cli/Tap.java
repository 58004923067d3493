package dev.httptap.cli;

import dev.httptap.event.ExchangeListeners;
import dev.httptap.log.Log;
import dev.httptap.relay.FlowHandlerFactory;
import dev.httptap.relay.Relay;
import dev.httptap.relay.RelayConfig;
import dev.httptap.sandbox.BindMount;
import dev.httptap.sandbox.Sandbox;
import dev.httptap.sandbox.SandboxException;
import dev.httptap.sandbox.SandboxSpec;
import dev.httptap.sandbox.SignalForwarding;
import dev.httptap.sink.TerminalPrinter;
import dev.httptap.sniff.HttpSniffer;
import dev.httptap.sniff.SniffOptions;
import dev.httptap.stack.StackConfig;
import dev.httptap.tls.CertificateAuthority;
import dev.httptap.tls.ChildTrust;
import dev.httptap.tls.Interception;
import dev.httptap.tls.InterceptionContext;
import dev.httptap.tls.LeafContexts;
import dev.httptap.tls.RejectingClients;
import dev.httptap.tls.UpstreamTrust;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * One run of httptap: starts the child paused in its namespaces, starts the relay on its TUN device with
 * the HTTP observers, lets the child go, and waits for it. Everything it made is removed when it ends.
 */
final class Tap {
    private final TapSettings settings;
    private final PrintStream output;

    Tap(TapSettings settings, PrintStream output) {
        this.settings = settings;
        this.output = output;
    }

    /** Returns the child's exit code. */
    int run() throws TapException {
        // The CA takes a while (Bouncy Castle loading, key generation): make it while the sandbox starts.
        CompletableFuture<CertificateAuthority> authority =
                CompletableFuture.supplyAsync(() -> CertificateAuthority.create(Instant.now()));
        Path privateDir = createPrivateDir();
        try {
            return runIn(privateDir, authority);
        } finally {
            deleteRecursively(privateDir);
        }
    }

    private int runIn(Path privateDir, CompletableFuture<CertificateAuthority> authority) throws TapException {
        ChildTrust trust = prepareTrust(privateDir);
        SandboxSpec spec = sandboxSpec(privateDir, trust);
        try (Sandbox sandbox = Sandbox.start(spec)) {
            TerminalPrinter printer = new TerminalPrinter(output, useColour());
            HttpSniffer sniffer = new HttpSniffer(ExchangeListeners.of(printer),
                    new SniffOptions(settings.httpPorts(), settings.httpsPorts()));
            Interception interception = interception(sniffer, authority);
            writeTrust(trust, authority);
            try (Relay relay = new Relay(sandbox.device(), relayConfig(), interception)) {
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

    private Interception interception(HttpSniffer sniffer, CompletableFuture<CertificateAuthority> authority)
            throws TapException {
        try {
            UpstreamTrust upstream = UpstreamTrust.create(settings.caFile(), settings.insecure());
            InterceptionContext context = new InterceptionContext(upstream, new LeafContexts(authority),
                    new RejectingClients());
            return new Interception(FlowHandlerFactory.observing(sniffer), sniffer.https(), settings.httpPorts(), context);
        } catch (IllegalArgumentException e) {
            throw new TapException(e.getMessage(), e);
        }
    }

    /** Before the child runs: its trust files get the CA (the mounts already show these files). */
    private static void writeTrust(ChildTrust trust, CompletableFuture<CertificateAuthority> authority)
            throws TapException {
        try {
            trust.write(authority.join());
        } catch (CompletionException e) {
            throw new TapException("cannot make the CA: " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            throw new TapException("cannot write the CA files: " + e.getMessage(), e);
        }
    }

    private static ChildTrust prepareTrust(Path privateDir) throws TapException {
        try {
            return ChildTrust.prepare(privateDir);
        } catch (IOException e) {
            throw new TapException("cannot create the CA files: " + e.getMessage(), e);
        }
    }

    private RelayConfig relayConfig() {
        RelayConfig defaults = RelayConfig.defaults();
        return new RelayConfig(settings.gateway(), defaults.hostAliasName(), defaults.hostAliasAddress(),
                defaults.dnsServers(), defaults.stack(), defaults.tcpConnectTimeout(), defaults.udpIdleTimeout(),
                defaults.dnsIdleTimeout(), defaults.dnsServerTimeout(), defaults.maxUdpFlows());
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
        environment.putAll(trust.environment());
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
    private boolean useColour() {
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

    private static Path createPrivateDir() throws TapException {
        try {
            return Files.createTempDirectory("httptap-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new TapException("cannot create a private temporary directory: " + e.getMessage(), e);
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
