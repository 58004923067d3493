package dev.httptap.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ./httptap [FLAGS] -- COMMAND} from the project directory (system property
 * {@code httptap.home}), or another launcher, optionally as another user or inside a wrapper command.
 *
 * <pre>
 * ProcessRun run = Httptap.command("curl", "-s", url).flags("--stderr").run();
 * </pre>
 */
final class Httptap {
    /** The address the tap's DNS gives {@link #HOST}; it reaches the host's 127.0.0.1. */
    static final String HOST_ADDRESS = "169.254.77.65";
    static final String HOST = "host.httptap.local";

    private final List<String> command;
    private final List<String> flags = new ArrayList<>();
    private final List<String> wrapper = new ArrayList<>();
    private Path launcher;
    private Duration timeout = E2eSettings.runTimeout();

    private Httptap(List<String> command) {
        this.command = List.copyOf(command);
    }

    static Httptap command(String... command) {
        return new Httptap(List.of(command));
    }

    /** httptap's own options, placed before the "--". */
    Httptap flags(String... options) {
        flags.addAll(List.of(options));
        return this;
    }

    /** Runs httptap as {@code user} (through runuser, so the caller must be root). */
    Httptap asUser(String user) {
        return wrappedIn("runuser", "-u", user, "--");
    }

    /** Prefixes the whole httptap command line with {@code prefix} (e.g. a namespace wrapper). */
    Httptap wrappedIn(String... prefix) {
        wrapper.addAll(List.of(prefix));
        return this;
    }

    /** Runs this launcher (e.g. an unpacked release's bin/httptap) instead of the project's ./httptap. */
    Httptap via(Path otherLauncher) {
        launcher = otherLauncher;
        return this;
    }

    Httptap timeout(Duration limit) {
        timeout = limit;
        return this;
    }

    ProcessRun run() {
        return start().awaitExit(timeout);
    }

    RunningCommand start() {
        return RunningCommand.start(commandLine());
    }

    private List<String> commandLine() {
        List<String> line = new ArrayList<>(wrapper);
        line.add((launcher != null ? launcher : launcher()).toString());
        line.addAll(flags);
        line.add("--");
        line.addAll(command);
        return line;
    }

    static Path launcher() {
        Path script = E2eSettings.projectHome().resolve("httptap");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("no executable " + script + ": the e2e suite runs the integrated ./httptap");
        }
        return script;
    }
}
