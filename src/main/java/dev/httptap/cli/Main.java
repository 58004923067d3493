package dev.httptap.cli;

import dev.httptap.log.Log;
import dev.httptap.sandbox.Sandbox;
import java.io.PrintStream;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** httptap's entry point: parses the command line, runs one {@link Tap}, exits with the child's code. */
public final class Main {
    /** Exit code for httptap's own failures (bad usage, namespaces unavailable), as the original. */
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        // Binding the C library and finding the helper take a while; do them while we parse and prepare.
        Sandbox.preload();
        System.exit(run(args));
    }

    static int run(String[] args) {
        Optional<Options> commandOnly = Options.commandOnly(args);
        return commandOnly.isPresent() ? tap(commandOnly.get()) : parseAndTap(args);
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
        options.applyEnvironment(System.getenv());

        PrintStream output = options.stderr ? System.err : System.out;
        Log.configure(options.verbose, System.err);
        try {
            TapSettings settings = TapSettings.from(options);
            return new Tap(settings, output).run();
        } catch (IllegalArgumentException e) {
            System.err.println("httptap: " + e.getMessage());
            return EXIT_USAGE;
        } catch (TapException e) {
            System.err.println("httptap: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }
}
