package dev.httptap.sandbox;

import java.util.List;

/**
 * Run by {@link SandboxIT} in a separate JVM: starts {@code sleep} in a sandbox, prints its pid, and
 * waits to be killed, so that the test can check the command dies with the JVM.
 */
public final class SleepingSandboxMain {
    private SleepingSandboxMain() {}

    public static void main(String[] args) throws Exception {
        Sandbox sandbox = Sandbox.start(SandboxSpec.of(List.of("sleep", "600")));
        sandbox.release();
        System.out.println(sandbox.pid());
        System.out.flush();
        System.exit(sandbox.waitFor());
    }
}
