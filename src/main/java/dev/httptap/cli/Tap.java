package dev.httptap.cli;

import dev.httptap.files.RunDirectory;
import dev.httptap.http2.Http2Connection;
import dev.httptap.log.Log;
import dev.httptap.relay.DnsObserver;
import dev.httptap.relay.EgressGate;
import dev.httptap.relay.FlowHandlerFactory;
import dev.httptap.relay.Relay;
import dev.httptap.relay.RelayConfig;
import dev.httptap.relay.ServerNameCheck;
import dev.httptap.relay.UpstreamObserver;
import dev.httptap.sandbox.BindMount;
import dev.httptap.sandbox.EarlyStartPlan;
import dev.httptap.sandbox.FileStamp;
import dev.httptap.sandbox.HelperArguments;
import dev.httptap.sandbox.HelperBinary;
import dev.httptap.sandbox.LeadEnvironment;
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
import dev.httptap.tls.BrowserTrust;
import dev.httptap.tls.CaStore;
import dev.httptap.tls.CertificateAuthority;
import dev.httptap.tls.ChildTrust;
import dev.httptap.tls.Interception;
import dev.httptap.tls.TlsStartup;
import dev.httptap.tun.ObservedDevice;
import dev.httptap.tun.PacketDevice;
import dev.httptap.tun.TcpTracer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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
        this.colour = ColourChoice.forDescriptor(output == System.err ? 2 : 1, System.getenv());
    }

    /** Returns the child's exit code. */
    int run() throws TapException {
        LeadEnvironment lead;
        try {
            lead = LeadEnvironment.from(System.getenv());
        } catch (IllegalArgumentException e) {
            throw new TapException(e.getMessage(), e);
        }
        RunDirectory privateDir = createRunDirectory(OWNER_ONLY);
        removeAbandonedRunDirectories(privateDir.path());
        try {
            if (lead.earlyStart().isPresent()) {
                return runEarly(lead.earlyStart().get(), privateDir.path());
            }
            if (lead.led()) {
                Log.verbose("the command waits for the JVM: %s", lead.missReason());
            }
            return runSlow(lead, privateDir.path());
        } finally {
            remove(privateDir);
        }
    }

    /**
     * Removes, beside this run, the temporary directories of runs that were killed before they could
     * (kill -9): on a thread of its own, since nothing in this run waits for it.
     */
    private static void removeAbandonedRunDirectories(Path ownDir) {
        Thread cleaner = new Thread(() -> {
            try {
                int removed = RunDirectory.removeAbandoned(ownDir.getParent(), Files.getOwner(ownDir), Instant.now());
                if (removed > 0) {
                    Log.verbose("removed %d temporary directories of runs that were killed", removed);
                }
            } catch (IOException e) {
                Log.verbose("could not look for abandoned temporary directories: %s", e.getMessage());
            }
        }, "httptap-cleaner");
        cleaner.setDaemon(true);
        cleaner.start();
    }

    /**
     * The launcher's lead process has started the command already, trusting the kept CA in
     * {@code early.caDir()}: serve it. The CA is loaded only once the relay runs.
     */
    private int runEarly(LeadEnvironment.EarlyStart early, Path privateDir) throws TapException {
        Log.verbose("the command started before the JVM (pid %d)", early.pid());
        CompletableFuture<LongSupplier> relayStarted = new CompletableFuture<>();
        try (TlsStartup tls = TlsStartup.begin(settings.caFile(), settings.insecure(), () -> CaStore.loadOrDiscard(early.caDir()),
                relayStarted, relayStarted).authorityOnlyReads()) {
            return serve(() -> Sandbox.adopt(early.pid(), LeadEnvironment.CONTROL_FD), privateDir, chooseIpv6(), tls,
                    false, relayStarted, () -> {});
        }
    }

    /** httptap starts the command itself, with the kept CA unless told otherwise. */
    private int runSlow(LeadEnvironment lead, Path privateDir) throws TapException {
        // Stat'ed once: the slot's trust files and the plan's checks tell of the same files as they were.
        List<FileStamp> trustSources = ChildTrust.sources().stream().map(FileStamp::of).toList();
        List<FileStamp> browserSources = BrowserTrust.sources().stream().map(FileStamp::of).toList();
        Optional<CaStore.Slot> slot = keptCaSlot(trustSources, browserSources);
        Path trustDir = privateDir;
        RunDirectory sharedTrustDir = null;
        try {
            CompletableFuture<LongSupplier> relayStarted = new CompletableFuture<>();
            ChildTrust trust;
            Supplier<CertificateAuthority> authority;
            boolean trustReady = slot.isPresent() && slot.get().ready();
            if (slot.isPresent()) {
                trust = slot.get().trust();
                authority = () -> slot.get().authority(Instant.now());
            } else {
                if (childOpensTrustFiles()) {
                    sharedTrustDir = createRunDirectory(OTHERS_PASS_THROUGH);
                    trustDir = sharedTrustDir.path();
                }
                trust = prepareTrust(trustDir);
                authority = TlsStartup.freshAuthority(trust);
            }
            // Trust files still to fill: the CA's work starts now, overlapping the sandbox's start, and the
            // child waits for it. Filled ones: it waits until the relay runs, and the child does not.
            CompletableFuture<?> gate = trustReady ? relayStarted : CompletableFuture.completedFuture(null);
            try (TlsStartup tls = TlsStartup.begin(settings.caFile(), settings.insecure(), authority, gate, relayStarted)) {
                TunIpv6 ipv6 = chooseIpv6();
                Path resolvConfDir = slot.map(CaStore.Slot::dir).orElse(privateDir);
                SandboxSpec spec = sandboxSpec(resolvConfDir, trust).withIpv6(ipv6)
                        .withClosedDescriptors(lead.closedDescriptors());
                Runnable afterRelease = lead.led() && slot.isPresent() && settings.hasDefaultSandbox()
                        ? () -> writeEarlyStartPlan(slot.get(), spec, trust,
                                Stream.concat(trustSources.stream(), browserSources.stream()).toList())
                        : () -> {};
                Sandbox.Leftovers leftovers = settings.noExit() ? Sandbox.Leftovers.OUTLIVE_COMMAND : Sandbox.Leftovers.END_WITH_COMMAND;
                return serve(() -> Sandbox.start(spec, leftovers), privateDir, ipv6, tls, !trustReady, relayStarted, afterRelease);
            }
        } finally {
            if (sharedTrustDir != null) {
                remove(sharedTrustDir);
            }
        }
    }

    /** The kept CA's slot, unless this run makes its own CA (--fresh-ca, or trust files another user opens). */
    private Optional<CaStore.Slot> keptCaSlot(List<FileStamp> trustSources, List<FileStamp> browserSources) {
        if (settings.freshCa() || childOpensTrustFiles()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CaStore.in(HelperBinary.cacheDirectory().resolve("ca")).slot(Instant.now(), madeFromText(trustSources),
                    madeFromText(browserSources)));
        } catch (IOException e) {
            // e.g. a user without a home directory: the run works as well, only its start is slower.
            Log.verbose("cannot keep a CA in %s (%s: %s); this run makes its own", HelperBinary.cacheDirectory(),
                    e.getClass().getSimpleName(), e.getMessage());
            return Optional.empty();
        }
    }

    /** What the child's trust files are copied from, as it is now: a change means writing them again. */
    private static String madeFromText(List<FileStamp> trustSources) {
        StringBuilder text = new StringBuilder();
        trustSources.forEach(source -> text.append(source.text()).append('\n'));
        return text.toString();
    }

    /**
     * Writes what the launcher needs to start this sandbox before the JVM next time (EarlyStartPlan): only
     * the sandbox's own settings go in, so the plan is the same for every command.
     */
    private void writeEarlyStartPlan(CaStore.Slot slot, SandboxSpec spec, ChildTrust trust, List<FileStamp> trustSources) {
        Path jar = codeLocation();
        if (jar == null || !jar.toString().endsWith(".jar")) {
            Log.verbose("no early-start plan: httptap runs from classes, not its jar");
            return;
        }
        List<FileStamp> checks = new ArrayList<>();
        Stream.of(jar, helperPath(), Path.of("/usr/lib/jvm"), trust.bundle(), trust.javaTrustStore())
                .filter(Objects::nonNull)
                .map(FileStamp::of)
                .forEach(checks::add);
        checks.addAll(trustSources);
        SandboxSpec planned = spec.withVerbose(false);
        EarlyStartPlan plan = new EarlyStartPlan(slot.expires(), slot.dir(), jar, checks, Options.VARIABLES,
                Options.EARLY_FLAGS, chromiumNeeds(), addedVariables(trust, true), HelperArguments.options(planned),
                HelperArguments.ipv6Options(planned.withIpv6(TunIpv6.defaults())));
        try {
            if (!plan.writeTo(HelperBinary.cacheDirectory().resolve("early-start.plan"))) {
                Log.verbose("no early-start plan: a path holds a line end");
            }
        } catch (IOException e) {
            Log.verbose("could not write the early-start plan: %s", e.getMessage());
        }
    }

    /**
     * What the command's environment gains: the variables naming the run's trust files, and {@code HTTPTAP=1},
     * as the original sets it, so that a script can tell it runs tapped.
     */
    private static Map<String, String> addedVariables(ChildTrust trust, boolean mounted) {
        Map<String, String> added = new LinkedHashMap<>(trust.environment(mounted));
        added.put("HTTPTAP", "1");
        return added;
    }

    /** The helper executable: a new build makes the plan stale. */
    private static Path helperPath() {
        try {
            return HelperBinary.locate();
        } catch (IOException e) {
            return null;
        }
    }

    /** The jar (or classes directory) httptap runs from: a new build makes the plan stale. */
    private static Path codeLocation() {
        try {
            return Path.of(Tap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * True when the child is another user ({@code --user}) that opens the CA files by their own paths
     * ({@code --no-overlay}: nothing mounted): they cannot be in the private directory, which it cannot enter.
     * They go in a directory of their own that others may pass through but not list or change; the files
     * hold only certificates, which are public (never the CA's key).
     */
    private boolean childOpensTrustFiles() {
        return settings.identity().switchTo() != null && !settings.overlay();
    }

    /** Starts (or adopts) the sandbox. */
    @FunctionalInterface
    private interface SandboxStarter {
        Sandbox start() throws SandboxException;
    }

    /**
     * Serves the sandbox's network until the command ends. {@code awaitTrust}: the child's trust files wait
     * for the CA, and so does the child. {@code relayStarted} completes once the command runs and is served,
     * with the time the relay has waited for work; {@code afterRelease} runs then.
     */
    private int serve(SandboxStarter starter, Path privateDir, TunIpv6 ipv6, TlsStartup tls, boolean awaitTrust,
            CompletableFuture<LongSupplier> relayStarted, Runnable afterRelease) throws TapException {
        RoundFlush printedLines = new RoundFlush(output);
        try (Sandbox sandbox = starter.start();
                Sinks sinks = Sinks.open(settings.recording(), terminalPrinter(printedLines), output, colour,
                        privateDir, settings.egress().audit());
                Captures captures = Captures.open(settings.capture(), settings.tunName(), settings.command())) {
            HttpSniffer sniffer = new HttpSniffer(sinks.listener(),
                    new SniffOptions(settings.httpPorts(), settings.httpsPorts()));
            EgressSettings policy = settings.egress();
            EgressGate egress = new EgressGate(policy.policy(), policy.denyDns(), policy.audit(), sinks.names(),
                    sinks.egressListener());
            Interception interception = interception(sniffer, tls, sinks.upstreamObserver(), egress, captures, awaitTrust);
            DnsObserver dns = sinks.dnsObserver(settings.printDns() ? new DnsPrinter(output, colour) : DnsObserver.NONE);
            try (Relay relay = new Relay(captures.observe(device(sandbox)), relayConfig(ipv6), interception, dns,
                    sinks.upstreamObserver())) {
                relay.atEndOfEachRound(captures.afterRound(printedLines::endRound));
                relay.enforce(egress);
                sinks.deliverOn(relay);
                relay.start();
                int exitCode;
                // An adopted command's lead process passes signals on itself.
                try (SignalForwarding forwarding = sandbox.adopted() ? SignalForwarding.none() : SignalForwarding.install(sandbox)) {
                    sandbox.release();
                    relayStarted.complete(relay::idleNanos);
                    afterRelease.run();
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
                return withPolicyBreach(exitCode, sinks.blockedCount());
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

    /**
     * With --fail-on-blocked, {@link EgressSettings#EXIT_BLOCKED} in place of the command's success when the
     * policy blocked something, so that CI fails on a breach; any other exit code is the command's own.
     */
    private int withPolicyBreach(int exitCode, long blocked) {
        if (exitCode != 0 || blocked == 0 || !settings.egress().failOnBlocked()) {
            return exitCode;
        }
        Log.error("the command succeeded, but the egress policy blocked it %d time%s: exiting with %d (--fail-on-blocked)",
                blocked, blocked == 1 ? "" : "s", EgressSettings.EXIT_BLOCKED);
        return EgressSettings.EXIT_BLOCKED;
    }

    /**
     * Starts, once, what the run's first HTTP/2 connection would otherwise wait for on the relay thread
     * ({@link Http2Connection#prepare}, ~60 ms of CPU), on a daemon thread: when the first server agrees to
     * h2, so that it overlaps the child's handshake. Not at the start of every run: there it took the two
     * cores from runs that never speak HTTP/2 (first plain request ~50 ms later under load); not when a
     * child first offers h2 (curl always does): ~40 ms of CPU beside the handshakes with a server that then
     * spoke HTTP/1.1.
     */
    private static Runnable http2Preparation() {
        AtomicBoolean started = new AtomicBoolean();
        return () -> {
            if (started.compareAndSet(false, true)) {
                Thread thread = new Thread(Http2Connection::prepare, "httptap-http2-setup");
                thread.setDaemon(true);
                thread.start();
            }
        };
    }

    /** The sandbox's TUN device, wrapped to print every TCP packet only when --dump-tcp asks (free otherwise). */
    private PacketDevice device(Sandbox sandbox) {
        return settings.dumpTcp() ? new ObservedDevice(sandbox.device(), new TcpTracer(output)) : sandbox.device();
    }

    /** HTTPS interception around the plain sniffer, once the child's trust files are filled (if they wait for it). */
    private Interception interception(HttpSniffer sniffer, TlsStartup tls, UpstreamObserver upstreams,
            ServerNameCheck serverNames, Captures captures, boolean awaitTrust) throws TapException {
        try {
            if (awaitTrust) {
                tls.awaitChildTrust();
            }
            return new Interception(FlowHandlerFactory.observing(sniffer), sniffer.https(), settings.httpPorts(),
                    captures.withSecrets(tls.context().withUpstreamObserver(upstreams).withPassThrough(settings.passThrough())
                            .withServerNameCheck(serverNames).whenH2Agreed(http2Preparation())));
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

    /**
     * The printer, with live lines (an exchange running for a second has its request line printed then)
     * unless a filter on the status could still leave that exchange out.
     */
    private TerminalPrinter terminalPrinter(RoundFlush flush) {
        return new TerminalPrinter(output, new PrintOptions(colour, settings.printHeads(), settings.printBodies(),
                settings.maxBodyPrint()), flush, !settings.recording().filter().judgesResponses());
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

    private SandboxSpec sandboxSpec(Path resolvConfDir, ChildTrust trust) throws TapException {
        List<BindMount> mounts = new ArrayList<>();
        if (settings.overlay()) {
            // The child's DNS goes to the gateway, where the relay answers host.httptap.local itself.
            String gateway = settings.gateway().getHostAddress();
            Path resolvConf = resolvConfDir.resolve("resolv.conf-" + gateway);
            write(resolvConf, "nameserver " + gateway + "\n");
            mounts.add(new BindMount(resolvConf, Path.of("/etc/resolv.conf")));
            // The child trusts the run's CA through the files its TLS libraries read by default.
            ChildTrust.bundleTargets().forEach(target -> mounts.add(new BindMount(trust.bundle(), target)));
            ChildTrust.javaTrustStoreTargets().forEach(target -> mounts.add(new BindMount(trust.javaTrustStore(), target)));
            browserMounts(trust).forEach((source, target) -> mounts.add(new BindMount(source, target)));
        }
        Map<String, String> environment = LeadEnvironment.withoutLeadVariables(System.getenv());
        environment.putAll(addedVariables(trust, settings.overlay()));
        return new SandboxSpec(
                settings.command(),
                environment,
                settings.tunName(),
                settings.subnet().address(),
                settings.subnet().prefixLength(),
                settings.gateway(),
                StackConfig.defaults().mtu(),
                settings.newUserNamespace(),
                settings.identity().switchTo(),
                mounts,
                settings.verbose()).withInsideIds(settings.identity().insideIds());
    }

    /**
     * The browsers' trust ({@link BrowserTrust}), beside the other trust files. A Chromium browser run
     * directly gets {@code ~/.pki/nssdb} made (0700) if it has none, as desktop Chromium makes it on its first
     * start (headless Chromium does not): an empty directory, so that the copy has a place to be mounted.
     */
    private Map<Path, Path> browserMounts(ChildTrust trust) throws TapException {
        try {
            Optional<Path> nssDatabase = BrowserTrust.nssDatabase();
            if (nssDatabase.isPresent() && !Files.exists(nssDatabase.get()) && runsChromium()) {
                Files.createDirectories(nssDatabase.get(), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            return BrowserTrust.in(trust.caCertificate().getParent()).prepareMounts();
        } catch (IOException e) {
            Log.error("browsers will not trust httptap's CA: %s", e.getMessage());
            return Map.of();
        }
    }

    /** For the early start: a Chromium browser waits for the JVM to make its missing NSS database directory. */
    private static List<EarlyStartPlan.Need> chromiumNeeds() {
        Optional<Path> nssDatabase = BrowserTrust.nssDatabase();
        if (nssDatabase.isEmpty()) {
            return List.of();
        }
        return BrowserTrust.CHROMIUM_NAMES.stream().sorted().map(name -> new EarlyStartPlan.Need(name, nssDatabase.get())).toList();
    }

    /** Whether the command is a Chromium browser, by its name. */
    private boolean runsChromium() {
        Path program = Path.of(settings.command().get(0)).getFileName();
        return program != null && BrowserTrust.CHROMIUM_NAMES.contains(program.toString());
    }

    /**
     * With --no-exit: processes the command left behind keep their network until Ctrl-C or SIGTERM; they end
     * when httptap does (their PID namespace's init watches the sandbox's control socket).
     */
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

    private static RunDirectory createRunDirectory(Set<PosixFilePermission> permissions) throws TapException {
        try {
            return RunDirectory.create(Path.of(System.getProperty("java.io.tmpdir")), permissions);
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

    private static void remove(RunDirectory dir) {
        try {
            dir.close();
        } catch (IOException e) {
            Log.verbose("could not remove %s: %s", dir.path(), e.getMessage());
        }
    }
}
