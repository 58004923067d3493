package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** tshark (Debian's package, which scripts/test installs) reading a capture with no settings of its own. */
final class Tshark {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Tshark() {}

    /** The non-empty lines of {@code tshark -r FILE -Y FILTER -T fields -e FIELD...}, tab-separated fields. */
    static List<String> fields(Path capture, String filter, String... fields) {
        List<String> command = new ArrayList<>(List.of("tshark", "-r", capture.toString(), "-Y", filter, "-T", "fields"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        ProcessRun run = RunningCommand.run(LIMIT, command);
        assertEquals(0, run.exitCode(), () -> "tshark failed on " + capture + "\n" + run.describe());
        return run.stdoutLines().stream().filter(line -> !line.isBlank()).toList();
    }
}
