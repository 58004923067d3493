package dev.httptap.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The uid and gid the command sees inside its user namespace ({@code --uid}, {@code --gid}): each maps to
 * the caller's own id outside, so the command acts as the caller on the host whatever it sees. An empty one
 * keeps the usual map (the caller's id, or every id for root).
 */
public record InsideIds(OptionalLong uid, OptionalLong gid) {
    /** The largest id a map takes: 2^32 - 1 is the kernel's "no id". */
    public static final long MAX_ID = 4_294_967_294L;
    public static final InsideIds USUAL = new InsideIds(OptionalLong.empty(), OptionalLong.empty());

    public InsideIds {
        check("uid", uid);
        check("gid", gid);
    }

    public boolean isUsual() {
        return uid.isEmpty() && gid.isEmpty();
    }

    /** The helper's options for them (native-helper/main.c). */
    List<String> helperOptions() {
        List<String> options = new ArrayList<>();
        uid.ifPresent(id -> options.addAll(List.of("--uid", Long.toString(id))));
        gid.ifPresent(id -> options.addAll(List.of("--gid", Long.toString(id))));
        return options;
    }

    private static void check(String kind, OptionalLong id) {
        if (id.isPresent() && (id.getAsLong() < 0 || id.getAsLong() > MAX_ID)) {
            throw new IllegalArgumentException("a " + kind + " is 0 to " + MAX_ID + ", not " + id.getAsLong());
        }
    }
}
