package dev.httptap.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * The original's {@code --stack gvisor|homegrown} (env HTTPTAP_STACK): its choice of TCP/IP stack. Both
 * names are accepted, in any case as the original lowers them, so that its command lines run here; this
 * implementation has one stack, which a note says. Any other name is an error naming where it came from.
 */
final class StackChoice {
    static final String VARIABLE = "HTTPTAP_STACK";

    private StackChoice() {}

    /** The note for a given choice (the flag wins over the variable), or empty when neither is set. */
    static Optional<String> note(String flagValue, String variableValue) {
        String given;
        String value;
        if (flagValue != null) {
            given = "--stack " + flagValue;
            value = flagValue;
        } else if (variableValue != null && !variableValue.isEmpty()) {
            given = VARIABLE + "=" + variableValue;
            value = variableValue;
        } else {
            return Optional.empty();
        }
        String name = value.toLowerCase(Locale.ROOT);
        if (!name.equals("gvisor") && !name.equals("homegrown")) {
            throw new IllegalArgumentException(given + ": expected gvisor or homegrown");
        }
        return Optional.of(given + ": this implementation has one TCP/IP stack of its own, used whatever the choice");
    }
}
