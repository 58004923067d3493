package dev.httptap.wire;

/**
 * A packet failed validation. Thrown only by the checked constructors ({@code parse}); it carries no stack
 * trace because malformed input is an expected event that the stack counts and drops.
 */
public final class MalformedPacketException extends Exception {
    private final Malformation malformation;

    public MalformedPacketException(Malformation malformation, String layer) {
        super(layer + ": " + malformation.description(), null, false, false);
        this.malformation = malformation;
    }

    public Malformation malformation() {
        return malformation;
    }
}
