package dev.httptap.sandbox;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the launcher's lead process (native-helper/lead.c) tells the JVM through the environment. None of
 * these variables reach the command.
 *
 * @param earlyStart set when the lead has started the command already (HTTPTAP_EARLY_START="PID CA_DIR")
 * @param led whether the lead ran at all: only then is an early-start plan worth writing (HTTPTAP_EARLY_MISS
 *     says why it could not start the command early)
 * @param missReason the lead's reason for starting the JVM alone, or empty
 * @param closedDescriptors standard descriptors httptap was started without (HTTPTAP_CLOSED_FDS="0,2")
 * @param helper the helper executable the lead is (HTTPTAP_HELPER), or empty
 */
public record LeadEnvironment(Optional<EarlyStart> earlyStart, boolean led, String missReason,
        Set<Integer> closedDescriptors, Optional<Path> helper) {
    /** The control socket the lead gives an early-started JVM. */
    public static final int CONTROL_FD = 3;
    static final List<String> VARIABLES =
            List.of("HTTPTAP_EARLY_START", "HTTPTAP_EARLY_MISS", "HTTPTAP_CLOSED_FDS", "HTTPTAP_HELPER");

    /** HotSpot's variable naming its thread-suspension signal, and the launcher's note that it set it. */
    static final String SUSPEND_SIGNAL = "_JAVA_SR_SIGNUM";
    static final String SUSPEND_SIGNAL_SET = "HTTPTAP_SR_SIGNUM";

    /** A command the lead started: its pid, and the kept CA's directory its trust files came from. */
    public record EarlyStart(int pid, Path caDir) {}

    /** Reads the variables; throws {@link IllegalArgumentException} for values the lead would never set. */
    /** Whether the lead has started the command already: cheap, for the first thing main does. */
    public static boolean commandStarted(Map<String, String> environment) {
        return environment.containsKey("HTTPTAP_EARLY_START");
    }

    public static LeadEnvironment from(Map<String, String> environment) {
        Optional<EarlyStart> earlyStart = Optional.ofNullable(environment.get("HTTPTAP_EARLY_START"))
                .map(LeadEnvironment::earlyStart);
        String miss = environment.getOrDefault("HTTPTAP_EARLY_MISS", "");
        Set<Integer> closed = new TreeSet<>();
        for (String fd : environment.getOrDefault("HTTPTAP_CLOSED_FDS", "").split(",")) {
            if (fd.matches("[012]")) {
                closed.add(Integer.parseInt(fd));
            } else if (!fd.isEmpty()) {
                throw new IllegalArgumentException("bad HTTPTAP_CLOSED_FDS: " + fd);
            }
        }
        Optional<Path> helper = Optional.ofNullable(environment.get("HTTPTAP_HELPER")).filter(path -> path.startsWith("/"))
                .map(Path::of);
        return new LeadEnvironment(earlyStart, earlyStart.isPresent() || environment.containsKey("HTTPTAP_EARLY_MISS"),
                miss, Set.copyOf(closed), helper);
    }

    private static EarlyStart earlyStart(String value) {
        String[] parts = value.split(" ", 2);
        if (parts.length != 2 || !parts[0].matches("[1-9][0-9]{0,9}") || !parts[1].startsWith("/")) {
            throw new IllegalArgumentException("bad HTTPTAP_EARLY_START: " + value);
        }
        return new EarlyStart(Integer.parseInt(parts[0]), Path.of(parts[1]));
    }

    /** {@code environment} without the lead's variables: what the command is given. */
    public static Map<String, String> withoutLeadVariables(Map<String, String> environment) {
        Map<String, String> cleaned = new HashMap<>(environment);
        VARIABLES.forEach(cleaned::remove);
        // The JVM's suspend signal, moved off SIGUSR2 by the launcher (lead.c), is the JVM's alone.
        if (cleaned.remove(SUSPEND_SIGNAL_SET) != null) {
            cleaned.remove(SUSPEND_SIGNAL);
        }
        return cleaned;
    }
}
