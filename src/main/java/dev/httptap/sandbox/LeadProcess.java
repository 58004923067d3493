package dev.httptap.sandbox;

import dev.httptap.tun.Native;
import java.util.Map;

/**
 * The launcher's lead process (native-helper/lead.c) on the early start: it keeps httptap's pid, so the
 * user's shell waits for it, not for this JVM. Told that the run is over, it exits at once with the run's
 * code, and this JVM, tied to its life, is killed: its own end (its shutdown, then the kernel unmapping
 * its heap) no longer delays httptap's, which came ~7 ms sooner after the command's (35 -> 28 ms).
 */
public final class LeadProcess {
    private LeadProcess() {}

    /**
     * Tells the lead, if this JVM has one, that the run is over with {@code exitCode}: call it last, once
     * every line is written and every file closed, for the JVM may not live past it. Nothing is said when
     * {@code HTTPTAP_JAVA_OPTS} is set.
     */
    public static void runIsOver(int exitCode, Map<String, String> environment) {
        if (toldOfTheEnd(environment)) {
            // One write: the lead reads the code right after the 'x'.
            Native.libc().write(LeadEnvironment.CONTROL_FD, new byte[] {'x', (byte) exitCode}, 2);
        }
    }

    /**
     * Whether the lead is told: only a lead that started the command early is there to tell, and extra JVM
     * options may have work at the JVM's exit (a profiler's or a flight recording's file), for which the
     * lead then waits, as for a JVM that never says the run is over.
     */
    static boolean toldOfTheEnd(Map<String, String> environment) {
        return LeadEnvironment.commandStarted(environment) && environment.getOrDefault("HTTPTAP_JAVA_OPTS", "").isBlank();
    }
}
