package dev.httptap.sandbox;

/** The lead process's report of the command's end: "exit N" (native-helper/lead.c). */
final class ExitReport {
    /** What the command is taken to have done when the lead vanished without a report: killed, as it was. */
    static final int LEAD_GONE = 128 + 9;

    private ExitReport() {}

    /** The exit code in {@code line}, or {@link #LEAD_GONE} for anything else (end-of-file gives ""). */
    static int parse(String line) {
        if (line.matches("exit [0-9]{1,3}")) {
            int code = Integer.parseInt(line.substring(5));
            if (code <= 255) {
                return code;
            }
        }
        return LEAD_GONE;
    }
}
