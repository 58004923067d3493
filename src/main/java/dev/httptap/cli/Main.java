package dev.httptap.cli;

import dev.httptap.log.Log;
import dev.httptap.sandbox.LeadEnvironment;
import dev.httptap.sandbox.Sandbox;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** httptap's entry point: parses the command line, runs one {@link Tap}, exits with the child's code. */
public final class Main {
    /** Exit code for httptap's own failures (bad usage, namespaces unavailable), as the original. */
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    /** Enough for a few hundred exchange lines between two flushes. */
    private static final int OUTPUT_BUFFER_BYTES = 32 * 1024;

    private Main() {}

    public static void main(String[] args) {
        // Binding the C library and finding the helper take a while; do them while we parse and prepare.
        Sandbox.preload(LeadEnvironment.commandStarted(System.getenv()));
        int exitCode = run(args);
        System.out.flush();
        System.err.flush();
        if (haltsAtTheEnd(System.getenv())) {
            Runtime.getRuntime().halt(exitCode);
        }
        System.exit(exitCode);
    }

    /**
     * Whether the JVM halts rather than exits once the run is over: on the early start, where the run has
     * written its lines, closed its files and removed its directory by then, and a shutdown (hook threads,
     * the JVM's own exit) added ~6 ms to every run's end (the command's end to httptap's, 40 -> 34 ms). Not
     * with JVM options of the user's (a profiler or a flight recording writes its file in the shutdown),
     * nor on the slow path, which may have unpacked the helper to a temporary file deleted there.
     */
    static boolean haltsAtTheEnd(Map<String, String> environment) {
        return LeadEnvironment.commandStarted(environment) && environment.getOrDefault("HTTPTAP_JAVA_OPTS", "").isBlank();
    }

    static int run(String[] args) {
        Optional<Options> simple = Options.withoutPicocli(args);
        return simple.isPresent() ? tap(simple.get()) : parseAndTap(args);
    }

    private static int parseAndTap(String[] args) {
        Options options = new Options();
        CommandLine commandLine = new CommandLine(options)
                .setStopAtPositional(true)
                .setUnmatchedOptionsArePositionalParams(false);
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            System.err.println("httptap: " + e.getMessage());
            System.err.println("Try 'httptap --help' for more information.");
            return EXIT_USAGE;
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return 0;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(System.out);
            return 0;
        }
        return tap(options);
    }

    private static int tap(Options options) {
        TapSettings settings;
        try {
            options.applyEnvironment(System.getenv());
            settings = TapSettings.from(options);
        } catch (IllegalArgumentException e) {
            System.err.println("httptap: " + e.getMessage());
            return EXIT_USAGE;
        }
        settings.notes().forEach(note -> Log.error("%s", note));

        // A capture on standard output leaves it to the capture alone (and the command's own output).
        PrintStream output = flushingOnRequest(options.stderr || "-".equals(settings.capture().pcap()));
        Log.configure(options.verbose, System.err);
        try {
            return new Tap(settings, output).run();
        } catch (IllegalArgumentException e) {
            System.err.println("httptap: " + e.getMessage());
            return EXIT_USAGE;
        } catch (TapException e) {
            System.err.println("httptap: " + e.getMessage());
            return EXIT_FAILURE;
        } finally {
            output.flush();
        }
    }

    /**
     * Replaces standard output (or error) with a twin in the same encoding that writes only when flushed or
     * when its buffer fills, instead of at every line: the printers flush whole blocks, and the relay once
     * per loop round for all the exchanges the round printed. Replaced rather than wrapped, so that every
     * writer of the stream shares its buffer and its lock, and lines keep their order.
     */
    private static PrintStream flushingOnRequest(boolean stderr) {
        String name = stderr ? "stderr" : "stdout";
        // The stream's encoding as the JVM chose it: stdout.encoding from JDK 19, sun.stdout.encoding before.
        String encoding = System.getProperty(name + ".encoding", System.getProperty("sun." + name + ".encoding"));
        Charset charset = encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding)
                : Charset.defaultCharset();
        FileOutputStream descriptor = new FileOutputStream(stderr ? FileDescriptor.err : FileDescriptor.out);
        PrintStream stream = new PrintStream(new BufferedOutputStream(descriptor, OUTPUT_BUFFER_BYTES), false, charset);
        if (stderr) {
            System.err.flush();
            System.setErr(stream);
        } else {
            System.out.flush();
            System.setOut(stream);
        }
        return stream;
    }
}
