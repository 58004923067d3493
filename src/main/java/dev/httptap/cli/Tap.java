package dev.httptap.cli;

import dev.httptap.event.ExchangeListeners;
import dev.httptap.log.Log;
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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Path privateDir = createPrivateDir();
        try {
            return runIn(privateDir);
        } finally {
            deleteRecursively(privateDir);
        }
    }

    private int runIn(Path privateDir) throws TapException {
        SandboxSpec spec = sandboxSpec(privateDir);
        try (Sandbox sandbox = Sandbox.start(spec)) {
            TerminalPrinter printer = new TerminalPrinter(output, useColour());
            HttpSniffer sniffer = new HttpSniffer(ExchangeListeners.of(printer),
                    new SniffOptions(settings.httpPorts(), settings.httpsPorts()));
            try (Relay relay = new Relay(sandbox.device(), relayConfig(), sniffer)) {
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

    private RelayConfig relayConfig() {
        RelayConfig defaults = RelayConfig.defaults();
        return new RelayConfig(settings.gateway(), defaults.hostAliasName(), defaults.hostAliasAddress(),
                defaults.dnsServers(), defaults.stack(), defaults.tcpConnectTimeout(), defaults.udpIdleTimeout(),
                defaults.dnsIdleTimeout(), defaults.dnsServerTimeout(), defaults.maxUdpFlows(), settings.allowQuic());
    }

    private SandboxSpec sandboxSpec(Path privateDir) throws TapException {
        List<BindMount> mounts = new ArrayList<>();
        if (settings.overlay()) {
            // The child's DNS goes to the gateway, where the relay answers host.httptap.local itself.
            Path resolvConf = privateDir.resolve("resolv.conf");
            write(resolvConf, "nameserver " + settings.gateway().getHostAddress() + "\n");
            mounts.add(new BindMount(resolvConf, Path.of("/etc/resolv.conf")));
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
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
