package dev.httptap.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code @FuzzTest} method, fuzzed in a JVM of its own: Jazzer fuzzes one target per process. Its
 * regression inputs live in Jazzer's layout, {@code src/test/resources/<package>/<Class>Inputs/<method>/},
 * which plain {@code mvn test} replays and which seed every fuzzing run.
 */
record FuzzTarget(Class<?> testClass, String method) {
    /** Jazzer hooks and instruments only the project's classes: the JDK's would cost seconds per start. */
    private static final String PROJECT_CLASSES = "dev.httptap.**";

    /** Every fuzz target among the compiled test classes, in a stable order. */
    static List<FuzzTarget> all(Path testClasses) throws IOException {
        List<FuzzTarget> targets = new ArrayList<>();
        try (Stream<Path> files = Files.walk(testClasses)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("FuzzTest.class")).toList()) {
                String name = testClasses.relativize(file).toString().replace(File.separatorChar, '.');
                Class<?> testClass = loadClass(name.substring(0, name.length() - ".class".length()));
                for (Method method : testClass.getDeclaredMethods()) {
                    if (method.isAnnotationPresent(FuzzTest.class)) {
                        targets.add(new FuzzTarget(testClass, method.getName()));
                    }
                }
            }
        }
        targets.sort(Comparator.comparing(FuzzTarget::toString));
        return targets;
    }

    private static Class<?> loadClass(String name) {
        try {
            return Class.forName(name, false, FuzzTarget.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a compiled fuzz test cannot be loaded: " + name, e);
        }
    }

    /** The regression inputs under {@code resources} (src/test/resources). */
    Path inputs(Path resources) {
        return resources.resolve(testClass.getPackageName().replace('.', '/'))
                .resolve(testClass.getSimpleName() + "Inputs").resolve(method);
    }

    /**
     * The command that fuzzes this target for {@code seconds}, growing {@code corpus} from the regression
     * inputs and writing any crashing input into {@code artifacts}.
     */
    List<String> fuzzCommand(String classPath, int seconds, Path corpus, Path seeds, Path artifacts) {
        return List.of(javaBinary(), "-Xmx384m", "-cp", classPath, "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + testClass.getName(), "--target_method=" + method,
                "--instrumentation_includes=" + PROJECT_CLASSES, "--custom_hook_includes=" + PROJECT_CLASSES,
                "-max_total_time=" + seconds, "-timeout=10", "-rss_limit_mb=1536",
                "-artifact_prefix=" + artifacts.toAbsolutePath() + File.separator,
                corpus.toAbsolutePath().toString(), seeds.toAbsolutePath().toString());
    }

    /** The command that adds to {@code seeds} the inputs of {@code corpus} that reach new coverage. */
    List<String> mergeCommand(String classPath, Path seeds, Path corpus) {
        return List.of(javaBinary(), "-Xmx384m", "-cp", classPath, "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + testClass.getName(), "--target_method=" + method,
                "--instrumentation_includes=" + PROJECT_CLASSES, "--custom_hook_includes=" + PROJECT_CLASSES,
                "-merge=1", seeds.toAbsolutePath().toString(), corpus.toAbsolutePath().toString());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() {
        return testClass.getName() + "#" + method;
    }
}
