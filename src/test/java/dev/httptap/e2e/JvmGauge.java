package dev.httptap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * httptap's JVM as /proc shows it at one moment: resident memory, threads and open descriptors. The JVM is
 * the launcher itself (when it execs java) or the helper's child (early start); either way a process of the
 * run's tree whose program is java.
 */
record JvmGauge(long pid, long residentKib, int threads, int descriptors) {

    /** Measures the java process in {@code run}'s process tree; fails when there is none. */
    static JvmGauge of(RunningCommand run) {
        List<ProcessHandle> javas = run.processTree().stream()
                .filter(process -> process.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .toList();
        if (javas.size() != 1) {
            throw new IllegalStateException("expected one java process in httptap's tree, found " + javas);
        }
        return of(javas.get(0).pid());
    }

    static JvmGauge of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try (var entries = Files.list(proc.resolve("fd"))) {
            List<String> status = Files.readAllLines(proc.resolve("status"));
            return new JvmGauge(pid, field(status, "VmRSS:"), (int) field(status, "Threads:"), (int) entries.count());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc, e);
        }
    }

    private static long field(List<String> status, String name) {
        return status.stream().filter(line -> line.startsWith(name))
                .map(line -> Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + name + " in " + status));
    }

    @Override
    public String toString() {
        return "JVM " + pid + ": RSS " + residentKib / 1024 + " MiB, " + threads + " threads, " + descriptors + " fds";
    }
}
