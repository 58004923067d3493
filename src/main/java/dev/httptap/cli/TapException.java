package dev.httptap.cli;

/** A run could not start; the message is one line for the user. */
final class TapException extends Exception {
    TapException(String message, Throwable cause) {
        super(message, cause);
    }
}
