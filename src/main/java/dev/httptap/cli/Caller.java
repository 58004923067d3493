package dev.httptap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who runs httptap, as far as the command's identity goes: root or not (by real uid, as the helper decides
 * how to map ids), and the account list {@code --user} is looked up in.
 */
record Caller(boolean root, Path passwd) {
    static final Path PASSWD = Path.of("/etc/passwd");

    static Caller current() {
        try {
            return new Caller(realUid(Files.readString(Path.of("/proc/self/status"))) == 0, PASSWD);
        } catch (IOException | IllegalArgumentException e) {
            return new Caller(false, PASSWD); // no /proc: then no namespaces either, and the helper says so
        }
    }

    /** The real uid in the text of /proc/self/status ("Uid:\tREAL\tEFFECTIVE\t..."). */
    static long realUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalArgumentException("no Uid line");
    }
}
