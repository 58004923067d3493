package dev.httptap.sandbox;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or directory the command sees in place of another one, e.g. httptap's own resolv.conf over
 * {@code /etc/resolv.conf}. A target that does not exist is skipped; a target that is a symlink is
 * replaced where it points.
 */
public record BindMount(Path source, Path target) {
    public BindMount {
        source = Objects.requireNonNull(source, "source").toAbsolutePath();
        target = Objects.requireNonNull(target, "target").toAbsolutePath();
        // The helper receives SOURCE:TARGET and splits at the first colon.
        if (source.toString().contains(":")) {
            throw new IllegalArgumentException("a bind mount source may not contain ':': " + source);
        }
    }

    /** The helper's {@code --bind} argument. */
    String helperArgument() {
        return source + ":" + target;
    }
}
