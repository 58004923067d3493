package dev.httptap.cli;

import dev.httptap.sandbox.EarlyStartPlan;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * httptap's command line: the original's flags, names and environment variables, plus what is new.
 * Boolean flags can also be switched on through their environment variable, read as the original reads it
 * (Go's strconv.ParseBool: "1", "t", "true", ...; a value it refuses is an error).
 */
@Command(
        name = "httptap",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpWidth = 100,
        headerHeading = "",
        header = "View the HTTP and HTTPS requests made by any Linux program.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = "httptap [OPTIONS] [--] [COMMAND [ARGS...]]",
        descriptionHeading = "%n",
        description = {
            "Runs COMMAND (default /bin/sh) in its own user, network and mount namespaces, with no root and no",
            "system-wide change, and prints a line for each HTTP request it makes and each response it gets:",
            "",
            "  ---> GET http://host.httptap.local:8000/path",
            "  <--- 200 http://host.httptap.local:8000/path (1256 bytes)",
            "",
            "Inside, host.httptap.local (169.254.77.65) reaches this machine's 127.0.0.1.",
            "httptap exits with COMMAND's exit code (128+N if it was killed by signal N).",
        },
        parameterListHeading = "%n",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  httptap -- curl -s http://host.httptap.local:8000/",
            "  httptap --http 80 8080 -- python3 app.py",
        })
final class Options {
    @Option(names = {"-v", "--verbose"}, description = "Explain what httptap does, connection by connection (env HTTPTAP_VERBOSE).")
    boolean verbose;

    @Option(names = "--no-new-user-namespace", description = "Do not create a user namespace; needs root (env HTTPTAP_NO_NEW_USER_NAMESPACE).")
    boolean noNewUserNamespace;

    @Option(names = "--stderr", description = "Print httptap's output to standard error instead of standard output (env HTTPTAP_LOG_TO_STDERR).")
    boolean stderr;

    @Option(names = "--tun", paramLabel = "NAME", description = "Name of the TUN device the command sees (default: ${DEFAULT-VALUE}).")
    String tun = "httptap";

    @Option(names = "--subnet", paramLabel = "CIDR", description = "Address and prefix of the command's network interface (default: ${DEFAULT-VALUE}).")
    String subnet = TapSettings.DEFAULT_SUBNET;

    @Option(names = "--gateway", paramLabel = "ADDRESS", description = "Address of the gateway, which also answers DNS (default: 10.1.1.1, or the first address of --subnet).")
    String gateway;

    @Option(names = "--user", paramLabel = "USER", description = "Run the command as this user (name or id); without root, only the ids it sees inside change.")
    String user;

    @Option(names = "--uid", paramLabel = "N", description = "The uid the command sees inside its user namespace, mapped to yours (default: yours).")
    Long uid;

    @Option(names = "--gid", paramLabel = "N", description = "The gid the command sees inside its user namespace, mapped to yours (default: yours).")
    Long gid;

    @Option(names = "--no-overlay", description = "Do not mount anything over the command's files (resolv.conf, CA bundles) (env HTTPTAP_NO_OVERLAY).")
    boolean noOverlay;

    @Option(names = "--stack", paramLabel = "NAME", description = "The original's choice of TCP/IP stack, gvisor or homegrown, accepted; this implementation has one (env HTTPTAP_STACK).")
    String stack;

    @Option(names = "--dump-tcp", description = "Print every TCP packet sent and received (env HTTPTAP_DUMP_TCP).")
    boolean dumpTcp;

    @Option(names = "--dump-har", paramLabel = "FILE", description = "Write the exchanges to FILE in HAR 1.2 format (env HTTPTAP_DUMP_HAR).")
    String dumpHar;

    @Option(names = "--har-max-body", paramLabel = "BYTES", description = "Keep at most this many bytes of each body in the HAR (default: ${DEFAULT-VALUE}).")
    long harMaxBody = 10_485_760;

    @Option(names = "--dump-jsonl", paramLabel = "FILE", description = "Write one JSON object per exchange to FILE ('-' for standard output), a line each.")
    String dumpJsonl;

    @Option(names = "--dump-pcap", paramLabel = "FILE", description = "Write every packet of the command, with the TLS secrets of its intercepted connections, to FILE as pcapng ('-' for standard output), for Wireshark and tshark.")
    String dumpPcap;

    @Option(names = "--pcap-max-size", paramLabel = "BYTES", description = "Stop the --dump-pcap capture once it would grow past BYTES (default: no limit).")
    long pcapMaxSize;

    @Option(names = "--keylog", paramLabel = "FILE", description = "Write the TLS secrets of the command's intercepted connections to FILE, in the NSS key log (SSLKEYLOGFILE) format.")
    String keylog;

    @Option(names = "--summary", description = "At exit, print a table of the hosts contacted: requests, statuses, bytes each way.")
    boolean summary;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Show and record only matching exchanges, e.g. host=*.example.com,method=POST,status=4xx (terms ANDed).")
    String filter;

    @Option(names = "--http", arity = "1..*", paramLabel = "PORT", description = "TCP ports always parsed as HTTP (default: 80; HTTP is also recognised on any other port).")
    List<Integer> httpPorts = new ArrayList<>(List.of(80));

    @Option(names = "--https", arity = "1..*", paramLabel = "PORT", description = "TCP ports treated as HTTPS (default: 443; TLS is also recognised and intercepted on any other port).")
    List<Integer> httpsPorts;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "Also trust the CA certificates in FILE (PEM) when checking the servers HTTPS goes to.")
    String caFile;

    @Option(names = "--passthrough", paramLabel = "PATTERN", description = "Relay TLS to matching destinations untouched, not intercepted: a host glob or IP address, with an optional port (*.example.com, pinned.test:8443, 10.0.0.5); repeatable.")
    List<String> passThrough;

    @Option(names = "--insecure", description = "Do not check the certificates of the servers HTTPS goes to.")
    boolean insecure;

    @Option(names = "--fresh-ca", description = "Make a CA for this run alone instead of using the one kept in ~/.cache/httptap (slower start; see README).")
    boolean freshCa;

    @Option(names = "--head", description = "Print HTTP headers too.")
    boolean head;

    @Option(names = "--body", description = "Print HTTP bodies too, decoded (gzip, deflate, br, zstd); binary bodies as a hex preview.")
    boolean body;

    @Option(names = "--max-body-print", paramLabel = "BYTES", description = "With --body, print at most this many bytes of each body (default: ${DEFAULT-VALUE}).")
    int maxBodyPrint = 4096;

    @Option(names = "--print-dns", description = "Print the command's DNS queries and their answers.")
    boolean printDns;

    @Option(names = "--no-exit", description = "Keep serving after the command exits, until interrupted (for commands that leave processes behind).")
    boolean noExit;

    @Option(names = "--allow-quic", description = "Relay QUIC (UDP port 443) instead of refusing it, which makes clients fall back to TCP where httptap sees HTTP.")
    boolean allowQuic;

    @Option(names = "--allow", paramLabel = "PATTERN", description = "Let the command reach only matching destinations (and those other --allow rules name): a host glob, IP address or CIDR, with an optional port (*.example.com, registry.example.org:443, 10.0.0.0/8); repeatable.")
    List<String> allow;

    @Option(names = "--deny", paramLabel = "PATTERN", description = "Keep the command from reaching matching destinations, even ones an --allow names; patterns as --allow; repeatable.")
    List<String> deny;

    @Option(names = "--policy", paramLabel = "FILE", description = "Read allow and deny rules from FILE: 'allow PATTERN' or 'deny PATTERN', one a line, '#' comments; repeatable.")
    List<String> policyFiles;

    @Option(names = "--deny-dns", description = "Answer NXDOMAIN to DNS queries for names the policy denies on every port (by default they are answered).")
    boolean denyDns;

    @Option(names = "--fail-on-blocked", description = "Exit with status 3 when the command succeeded but the policy blocked something.")
    boolean failOnBlocked;

    @Option(names = "--audit", description = "At exit, print the destinations reached (with protocol and bytes) as a --policy file.")
    boolean audit;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command to run and its arguments (default: /bin/sh).")
    List<String> command = new ArrayList<>();

    /** What --stack or HTTPTAP_STACK asked for, said back to the user; set by {@link #applyEnvironment}. */
    Optional<String> stackNote = Optional.empty();

    /**
     * The options that leave the sandbox as an early-start plan made it (EarlyStartPlan): only the
     * relay's behaviour and httptap's output depend on them. The ones whose output matters even when the
     * command sends nothing (files, a table) make the launcher wait for the JVM whatever happens. The capture
     * options are not here: a capture starts with the command's first packet, and its TLS needs another
     * library on the child's side, so such runs start the command from the JVM.
     */
    static final List<EarlyStartPlan.Flag> EARLY_FLAGS = List.of(
            new EarlyStartPlan.Flag("-v", false, false),
            new EarlyStartPlan.Flag("--verbose", false, false),
            new EarlyStartPlan.Flag("--stderr", false, false),
            new EarlyStartPlan.Flag("--dump-tcp", false, false),
            new EarlyStartPlan.Flag("--insecure", false, false),
            new EarlyStartPlan.Flag("--passthrough", true, true), // a bad pattern is reported even when nothing was sent
            new EarlyStartPlan.Flag("--ca-file", true, true), // a bad file is reported even when nothing was sent
            new EarlyStartPlan.Flag("--head", false, false),
            new EarlyStartPlan.Flag("--body", false, false),
            new EarlyStartPlan.Flag("--max-body-print", true, true), // a bad value is reported even when nothing was sent
            new EarlyStartPlan.Flag("--print-dns", false, false),
            new EarlyStartPlan.Flag("--allow-quic", false, false),
            new EarlyStartPlan.Flag("--filter", true, true), // so is a bad expression
            new EarlyStartPlan.Flag("--har-max-body", true, true),
            new EarlyStartPlan.Flag("--dump-har", true, true),
            new EarlyStartPlan.Flag("--dump-jsonl", true, true),
            new EarlyStartPlan.Flag("--summary", false, true),
            new EarlyStartPlan.Flag("--allow", true, true), // a bad pattern is reported even when nothing was sent
            new EarlyStartPlan.Flag("--deny", true, true),
            new EarlyStartPlan.Flag("--policy", true, true), // so is a bad file
            new EarlyStartPlan.Flag("--deny-dns", false, false),
            new EarlyStartPlan.Flag("--fail-on-blocked", false, true), // the exit status is decided at the end
            new EarlyStartPlan.Flag("--audit", false, true));

    /**
     * The environment variables {@link #applyEnvironment} reads: set, they change a run, and no plan holds
     * (HTTPTAP_STACK only prints a note, but a bad value must stop the run before the command starts).
     */
    static final List<String> VARIABLES = List.of("HTTPTAP_VERBOSE", "HTTPTAP_NO_NEW_USER_NAMESPACE",
            "HTTPTAP_LOG_TO_STDERR", "HTTPTAP_NO_OVERLAY", "HTTPTAP_DUMP_TCP", "HTTPTAP_DUMP_HAR", StackChoice.VARIABLE);


    /**
     * The options of a simple command line, parsed without picocli, which takes ~100 ms to load and model on
     * a cold JVM (its classes are too old for the AppCDS archive): {@link #QUICK_OPTIONS} given at most once
     * each, then "--" or the command. That is most runs. Any other line is empty here and goes to picocli,
     * so the result must be exactly picocli's (OptionsTest compares them). Lines with an argument starting
     * with '@' go to picocli too, which expands such arguments from files, even after "--".
     */
    static Optional<Options> withoutPicocli(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("@")) {
                return Optional.empty();
            }
        }
        Options options = new Options();
        Set<QuickOption> given = EnumSet.noneOf(QuickOption.class);
        int i = 0;
        for (; i < args.length && args[i].startsWith("-") && !args[i].equals("--"); i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            QuickOption option = QUICK_OPTIONS.get(equals < 0 ? arg : arg.substring(0, equals));
            if (option == null || !given.add(option)) {
                return Optional.empty();
            }
            if (!option.takesValue) {
                if (equals >= 0) {
                    return Optional.empty();
                }
                option.set(options, null);
                continue;
            }
            String value = equals >= 0 ? arg.substring(equals + 1) : (i + 1 < args.length ? args[++i] : "");
            // picocli's own rules for values that look like options, or are missing, stay picocli's.
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return Optional.empty();
            }
            option.set(options, value);
        }
        if (i < args.length && args[i].equals("--")) {
            i++;
        } else if (i < args.length && args[i].isEmpty()) {
            return Optional.empty();
        }
        // setStopAtPositional: the first positional ends the options, the rest is the command's.
        options.command.addAll(List.of(args).subList(i, args.length));
        return Optional.of(options);
    }

    /**
     * An option {@link #withoutPicocli} understands: a flag, or an option with one text value. A switch, not a
     * lambda per option: linking 27 lambdas cost ~8 ms of method-handle set-up at every start.
     */
    private enum QuickOption {
        VERBOSE(false, "-v", "--verbose"), STDERR(false, "--stderr"), NO_OVERLAY(false, "--no-overlay"),
        DUMP_TCP(false, "--dump-tcp"), SUMMARY(false, "--summary"), INSECURE(false, "--insecure"),
        FRESH_CA(false, "--fresh-ca"), HEAD(false, "--head"), BODY(false, "--body"), PRINT_DNS(false, "--print-dns"),
        NO_EXIT(false, "--no-exit"), ALLOW_QUIC(false, "--allow-quic"), CA_FILE(true, "--ca-file"),
        DUMP_HAR(true, "--dump-har"), DUMP_JSONL(true, "--dump-jsonl"), DUMP_PCAP(true, "--dump-pcap"),
        KEYLOG(true, "--keylog"), FILTER(true, "--filter"), PASSTHROUGH(true, "--passthrough"), ALLOW(true, "--allow"),
        DENY(true, "--deny"), POLICY(true, "--policy"), DENY_DNS(false, "--deny-dns"),
        FAIL_ON_BLOCKED(false, "--fail-on-blocked"), AUDIT(false, "--audit");

        final boolean takesValue;
        final String[] names;

        QuickOption(boolean takesValue, String... names) {
            this.takesValue = takesValue;
            this.names = names;
        }

        void set(Options options, String value) {
            switch (this) {
                case VERBOSE -> options.verbose = true;
                case STDERR -> options.stderr = true;
                case NO_OVERLAY -> options.noOverlay = true;
                case DUMP_TCP -> options.dumpTcp = true;
                case SUMMARY -> options.summary = true;
                case INSECURE -> options.insecure = true;
                case FRESH_CA -> options.freshCa = true;
                case HEAD -> options.head = true;
                case BODY -> options.body = true;
                case PRINT_DNS -> options.printDns = true;
                case NO_EXIT -> options.noExit = true;
                case ALLOW_QUIC -> options.allowQuic = true;
                case CA_FILE -> options.caFile = value;
                case DUMP_HAR -> options.dumpHar = value;
                case DUMP_JSONL -> options.dumpJsonl = value;
                case DUMP_PCAP -> options.dumpPcap = value;
                case KEYLOG -> options.keylog = value;
                case FILTER -> options.filter = value;
                case PASSTHROUGH -> options.passThrough = List.of(value);
                case ALLOW -> options.allow = List.of(value);
                case DENY -> options.deny = List.of(value);
                case POLICY -> options.policyFiles = List.of(value);
                case DENY_DNS -> options.denyDns = true;
                case FAIL_ON_BLOCKED -> options.failOnBlocked = true;
                case AUDIT -> options.audit = true;
            }
        }
    }

    private static final Map<String, QuickOption> QUICK_OPTIONS = quickOptions();

    private static Map<String, QuickOption> quickOptions() {
        Map<String, QuickOption> byName = new HashMap<>();
        for (QuickOption option : QuickOption.values()) {
            for (String name : option.names) {
                byName.put(name, option);
            }
        }
        return byName;
    }

    /**
     * Turns on the boolean flags whose environment variable is set, and reads HTTPTAP_STACK. Throws
     * {@link IllegalArgumentException} for a value the original would refuse.
     */
    void applyEnvironment(Map<String, String> env) {
        verbose |= isSet(env, "HTTPTAP_VERBOSE");
        noNewUserNamespace |= isSet(env, "HTTPTAP_NO_NEW_USER_NAMESPACE");
        stderr |= isSet(env, "HTTPTAP_LOG_TO_STDERR");
        noOverlay |= isSet(env, "HTTPTAP_NO_OVERLAY");
        dumpTcp |= isSet(env, "HTTPTAP_DUMP_TCP");
        if (dumpHar == null && env.containsKey("HTTPTAP_DUMP_HAR") && !env.get("HTTPTAP_DUMP_HAR").isEmpty()) {
            dumpHar = env.get("HTTPTAP_DUMP_HAR");
        }
        stackNote = StackChoice.note(stack, env.get(StackChoice.VARIABLE));
        if (command.isEmpty()) {
            command.add("/bin/sh");
        }
    }

    /**
     * A boolean variable read as the original's go-arg reads it, with Go's strconv.ParseBool: 1 t T TRUE true
     * True or 0 f F FALSE false False; anything else is an error rather than a silent false. Empty is unset.
     */
    static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("environment variable " + name + "=" + value
                    + ": not a boolean (1, t, true, TRUE, True or 0, f, false, FALSE, False)");
        };
    }
}
