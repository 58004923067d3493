package dev.httptap.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A finished process: its exit code and everything it wrote, stdout and stderr kept apart. */
record ProcessRun(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {

    String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    List<String> stdoutLines() {
        return stdoutText().lines().collect(Collectors.toList());
    }

    List<String> stderrLines() {
        return stderrText().lines().collect(Collectors.toList());
    }

    /** httptap's exchange lines ("---> ..." and "<--- ...") from a stream's lines, in order. */
    static List<String> exchangeLines(List<String> lines) {
        return lines.stream().filter(ProcessRun::isExchangeLine).collect(Collectors.toList());
    }

    /** stdout with httptap's exchange lines taken out: what the program itself printed. */
    String programStdout() {
        return Arrays.stream(stdoutText().split("(?<=\n)"))
                .filter(line -> !isExchangeLine(line))
                .collect(Collectors.joining());
    }

    /** A readable summary for assertion messages. */
    String describe() {
        return "command " + command + " exited " + exitCode
                + "\n--- stdout ---\n" + abbreviate(stdoutText())
                + "\n--- stderr ---\n" + abbreviate(stderrText());
    }

    private static boolean isExchangeLine(String line) {
        return line.startsWith("---> ") || line.startsWith("<--- ");
    }

    private static String abbreviate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "\n[... " + text.length() + " chars]";
    }
}
