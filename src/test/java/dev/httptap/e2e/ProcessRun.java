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
        return lines.stream().filter(line -> exchangeStart(line) >= 0)
                .map(line -> line.substring(exchangeStart(line))).collect(Collectors.toList());
    }

    /** stdout with httptap's exchange lines taken out: what the program itself printed. */
    String programStdout() {
        return Arrays.stream(stdoutText().split("(?<=\n)"))
                .map(line -> exchangeStart(line) < 0 ? line : line.substring(0, exchangeStart(line)))
                .collect(Collectors.joining());
    }

    /** A readable summary for assertion messages. */
    String describe() {
        return "command " + command + " exited " + exitCode
                + "\n--- stdout ---\n" + abbreviate(stdoutText())
                + "\n--- stderr ---\n" + abbreviate(stderrText());
    }

    /**
     * Where httptap's line starts in an output line, or -1: at its start, or after a line the program left
     * unfinished (apt's "Reading package lists..." before its "Done"), where a terminal shows it too, as
     * httptap and the program write to the same output.
     */
    private static int exchangeStart(String line) {
        int request = line.indexOf("---> ");
        int response = line.indexOf("<--- ");
        return request < 0 ? response : response < 0 ? request : Math.min(request, response);
    }

    private static String abbreviate(String text) {
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "\n[... " + text.length() + " chars]";
    }
}
