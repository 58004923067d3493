package dev.httptap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether the lines are coloured: only when the stream they go to (stdout, or stderr with --stderr) is a
 * terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb. The stream's descriptor is read
 * through /proc, so the choice needs no native call and no console (which asks about stdin too).
 */
final class ColourChoice {
    private static final Pattern TERMINAL = Pattern.compile("/dev/(pts/\\d+|tty\\w*|console)");

    private ColourChoice() {}

    /** The choice for descriptor {@code fd} of this process, in {@code environment}. */
    static boolean forDescriptor(int fd, Map<String, String> environment) {
        String target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            target = "";
        }
        return decide(target, environment);
    }

    /** {@code target}: what the descriptor's /proc link names, e.g. "/dev/pts/3" or "pipe:[123]". */
    static boolean decide(String target, Map<String, String> environment) {
        String noColour = environment.get("NO_COLOR");
        return TERMINAL.matcher(target).matches() && (noColour == null || noColour.isEmpty())
                && !"dumb".equals(environment.get("TERM"));
    }
}
