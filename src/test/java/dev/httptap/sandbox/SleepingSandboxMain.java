package dev.httptap.sandbox;

import java.util.List;

/**
 * Run by {@link SandboxIT} in a separate JVM, as the CLI would run a command: starts {@code sleep} in a
 * sandbox with signal forwarding, prints its pid, and exits with the command's exit code. The test
 * signals or kills this JVM and checks what happens to the command.
 */
public final class SleepingSandboxMain {
    private SleepingSandboxMain() {}

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = Sandbox.start(SandboxSpec.of(List.of("sleep", "600")));
        SignalForwarding.install(sandbox);
        sandbox.release();
        System.out.println(sandbox.pid());
        System.out.flush();
        System.exit(sandbox.waitFor());
    }
}
