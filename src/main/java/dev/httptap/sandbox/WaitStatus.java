package dev.httptap.sandbox;

/** Decodes a waitpid(2) status (never "stopped": WUNTRACED is not used) the way a shell shows it in {@code $?}. */
final class WaitStatus {
    private WaitStatus() {}

    /** The exit code for a normal exit, 128+N for a child killed by signal N. */
    static int exitCode(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return (status >> 8) & 0xff; // WIFEXITED: WEXITSTATUS
        }
        return 128 + signal; // WIFSIGNALED: WTERMSIG (the core-dump bit 0x80 is ignored)
    }
}
