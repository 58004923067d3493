package dev.httptap.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fuzzes every target in turn, a few at a time, each in its own JVM. Used by {@code FuzzIT} (seconds per
 * target, corpus thrown away) and by {@code scripts/fuzz} through {@link #main} (longer, and the corpus kept:
 * the inputs that reach new coverage are merged into the regression inputs, crashing inputs are written
 * there directly, so both run with every {@code mvn test} from then on).
 */
final class FuzzCampaign {
    /** What became of one target. {@code crashes}: inputs that failed it, {@code log}: Jazzer's output. */
    record Outcome(FuzzTarget target, int exitCode, List<Path> crashes, Path log) {
        boolean passed() {
            return exitCode == 0 && crashes.isEmpty();
        }
    }

    private final Path project;
    private final String classPath;
    private final Path work;

    FuzzCampaign(Path project, String classPath, Path work) {
        this.project = project;
        this.classPath = classPath;
        this.work = work;
    }

    /**
     * Fuzzes each target for {@code seconds}, {@code parallel} at once. With {@code keep}, crashes go to the
     * regression inputs and the grown corpus is merged into them; otherwise both stay under the work directory.
     */
    List<Outcome> run(List<FuzzTarget> targets, int seconds, int parallel, boolean keep)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Outcome>> running = new ArrayList<>();
            for (FuzzTarget target : targets) {
                running.add(pool.submit(() -> fuzz(target, seconds, keep)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> outcome : running) {
                outcomes.add(outcome.get());
            }
            return outcomes;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("a fuzzing run could not be started", e.getCause());
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private Outcome fuzz(FuzzTarget target, int seconds, boolean keep) throws IOException, InterruptedException {
        Path seeds = target.inputs(project.resolve("src/test/resources"));
        Path own = work.resolve(target.toString().replace('#', '/'));
        Path corpus = Files.createDirectories(own.resolve("corpus"));
        Path artifacts = keep ? seeds : Files.createDirectories(own.resolve("crashes"));
        Files.createDirectories(seeds);
        List<Path> before = files(artifacts);
        Path log = own.resolve("fuzz.log");
        int exit = runLogged(target.fuzzCommand(classPath, seconds, corpus, seeds, artifacts), own, log);
        List<Path> crashes = new ArrayList<>(files(artifacts));
        crashes.removeAll(before);
        crashes.removeIf(file -> !isFinding(file));
        if (keep && exit == 0) {
            runLogged(target.mergeCommand(classPath, seeds, corpus), own, own.resolve("merge.log"));
        }
        return new Outcome(target, exit, crashes, log);
    }

    /** libFuzzer's names for what it writes on a finding. */
    private static boolean isFinding(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("crash-") || name.startsWith("timeout-") || name.startsWith("oom-")
                || name.startsWith("leak-");
    }

    private static int runLogged(List<String> command, Path directory, Path log)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return process.waitFor();
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** {@code scripts/fuzz}: arguments are the seconds per target and the project directory. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int seconds = Integer.parseInt(args[0]);
        Path project = Path.of(args[1]).toAbsolutePath();
        List<FuzzTarget> targets = FuzzTarget.all(project.resolve("target/test-classes"));
        FuzzCampaign campaign = new FuzzCampaign(project, System.getProperty("java.class.path"),
                Files.createDirectories(project.resolve("target/fuzz")));
        System.out.println("fuzzing " + targets.size() + " targets for " + seconds + " s each");
        boolean allPassed = true;
        for (Outcome outcome : campaign.run(targets, seconds, 1, true)) {
            allPassed &= outcome.passed();
            System.out.println((outcome.passed() ? "ok      " : "FAILED  ") + outcome.target()
                    + (outcome.passed() ? "" : "  (exit " + outcome.exitCode() + ", log " + outcome.log()
                    + ", new regression inputs " + outcome.crashes() + ")"));
        }
        System.exit(allPassed ? 0 : 1);
    }
}
