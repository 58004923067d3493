package dev.httptap.log;

/**
 * A failure that may recur many times (one per packet, one per turn): the first is an error line, the
 * others are shown only with --verbose, so a persistent fault cannot flood the terminal.
 */
public final class RepeatedFailure {
    private final String what;
    private boolean reported;

    /** {@code what}: the failure in words, "writing to the TUN device failed". */
    public RepeatedFailure(String what) {
        this.what = what;
    }

    /** Reports one occurrence, with its {@code detail}. */
    public void report(Object detail) {
        if (!reported) {
            reported = true;
            Log.error("%s (further failures only with --verbose): %s", what, detail);
        } else {
            Log.verbose("%s: %s", what, detail);
        }
    }
}
