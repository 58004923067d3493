package dev.httptap.e2e;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Finds processes on the machine by an argument, and waits (boundedly) for conditions on them. */
final class ProcessTable {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private ProcessTable() {}

    /** Live processes with {@code argument} among their arguments (the test makes it unique). */
    static List<ProcessHandle> withArgument(String argument) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.asList(arguments).contains(argument))
                        .orElse(false))
                .toList();
    }

    /** Polls {@code condition} until it holds or {@code limit} passes; true if it held. */
    static boolean awaitCondition(Duration limit, BooleanSupplier condition) {
        long polls = Math.max(1, limit.toMillis() / POLL_INTERVAL.toMillis());
        for (long i = 0; i < polls; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
