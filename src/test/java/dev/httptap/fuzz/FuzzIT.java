package dev.httptap.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every fuzz target fuzzed briefly (a few seconds each, two at a time): new inputs found from the
 * regression seeds must pass too. scripts/fuzz runs the same for longer and keeps what it finds.
 */
class FuzzIT {
    private static final int SECONDS_PER_TARGET = Integer.getInteger("httptap.fuzz.seconds", 2);
    private static final int PARALLEL = Math.min(2, Runtime.getRuntime().availableProcessors());

    @Test
    void everyTargetSurvivesABriefFuzzingRun() throws IOException, InterruptedException {
        Path project = Path.of(System.getProperty("httptap.home", ".")).toAbsolutePath().normalize();
        List<FuzzTarget> targets = FuzzTarget.all(project.resolve("target/test-classes"));
        assertTrue(targets.size() >= 10, "fuzz targets found: " + targets);
        Path work = Files.createDirectories(project.resolve("target/fuzz-it"));
        FuzzCampaign campaign = new FuzzCampaign(project, testClassPath(project), work);

        List<FuzzCampaign.Outcome> failed = campaign.run(targets, SECONDS_PER_TARGET, PARALLEL, false).stream()
                .filter(outcome -> !outcome.passed()).toList();

        assertEquals(List.of(), failed.stream().map(FuzzIT::describe).toList(), "fuzz targets that failed");
    }

    /**
     * The test classpath with the project's class directories in front: failsafe puts the packaged jar
     * there instead, and Jazzer instruments only classes it finds in directories.
     */
    private static String testClassPath(Path project) {
        String ours = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String directories = project.resolve("target/test-classes") + File.pathSeparator + project.resolve("target/classes");
        return directories + File.pathSeparator + Arrays.stream(ours.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith(".jar") || !Path.of(entry).startsWith(project.resolve("target")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String describe(FuzzCampaign.Outcome outcome) {
        String tail;
        try {
            List<String> lines = Files.readAllLines(outcome.log());
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            tail = "(no log: " + e.getMessage() + ")";
        }
        return outcome.target() + " exited " + outcome.exitCode() + ", inputs " + outcome.crashes() + "\n" + tail;
    }
}
