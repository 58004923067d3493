package dev.httptap.event;

/** One header field exactly as it was sent: original spelling of the name, value without surrounding spaces. */
public record Header(String name, String value) {
    @Override
    public String toString() {
        return name + ": " + value;
    }
}
