package dev.httptap.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The largest resident set (VmRSS) seen of the JVM that a started ./httptap runs, sampled on a thread of
 * its own for as long as httptap lives: how much memory a hostile peer made httptap hold.
 */
final class ResidentMemory {
    private static final long SAMPLE_MILLIS = 50;

    private final AtomicLong peakKib = new AtomicLong();
    private final Thread sampler;

    private ResidentMemory(ProcessHandle httptap) {
        sampler = new Thread(() -> sample(httptap), "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static ResidentMemory of(RunningCommand httptap) {
        return new ResidentMemory(ProcessHandle.of(httptap.pid()).orElseThrow());
    }

    /** The peak in MiB, once httptap has exited (the sampler then ends by itself). */
    long peakMib() throws InterruptedException {
        sampler.join(E2eSettings.runTimeout().toMillis());
        return peakKib.get() / 1024;
    }

    private void sample(ProcessHandle httptap) {
        while (httptap.isAlive()) {
            Stream.concat(Stream.of(httptap), httptap.descendants())
                    .filter(process -> process.info().command().orElse("").endsWith("/java"))
                    .forEach(jvm -> peakKib.accumulateAndGet(residentKib(jvm.pid()), Math::max));
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long residentKib(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0; // the process just ended
        }
    }
}
