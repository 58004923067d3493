package dev.httptap.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What a file looked like when something was made from it: its size and modification time (nanoseconds),
 * or that it did not exist. Written as {@code "SIZE MTIME_NS PATH"} (or {@code "absent 0 PATH"}), the
 * form native-helper/plan.c compares with stat(2) (symbolic links followed, as here).
 */
public record FileStamp(Path path, long size, long modifiedNanos, boolean exists) {
    public static FileStamp of(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStamp(path, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), true);
        } catch (IOException e) {
            return new FileStamp(path, 0, 0, false);
        }
    }

    /** Whether the file still looks the same. */
    public boolean unchanged() {
        return equals(of(path));
    }

    /** The stamp as one line of text (without the line end); null for a path that would break the line. */
    public String text() {
        String name = path.toString();
        if (name.contains("\n") || name.contains("\r")) {
            return null;
        }
        return (exists ? Long.toString(size) : "absent") + " " + modifiedNanos + " " + name;
    }

    /** Reads {@link #text()}'s form back; throws {@link IllegalArgumentException} for anything else. */
    public static FileStamp parse(String text) {
        String[] parts = text.split(" ", 3);
        if (parts.length != 3 || parts[2].isEmpty()) {
            throw new IllegalArgumentException("not a file stamp: " + text);
        }
        try {
            boolean exists = !parts[0].equals("absent");
            return new FileStamp(Path.of(parts[2]), exists ? Long.parseLong(parts[0]) : 0, Long.parseLong(parts[1]), exists);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a file stamp: " + text, e);
        }
    }
}
