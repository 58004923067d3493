package dev.httptap.sandbox;

/** The sandbox could not be set up; the message is one line for the user, saying what to fix. */
public final class SandboxException extends Exception {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
