package dev.httptap.policy;

import java.util.regex.Pattern;

/**
 * A host name pattern as users write them ({@code *.example.com}): '*' stands for any run of characters,
 * dots included, everything else for itself, in any case. Shared by every option that names hosts.
 */
public final class HostGlob {
    /** The characters a glob may hold: those of names, addresses and ports, and '*'. */
    public static final String ALLOWED = "[A-Za-z0-9.*\\-_:\\[\\]]+";

    private HostGlob() {}

    /** The glob as a regular expression matching whole names; the caller has checked it is {@link #ALLOWED}. */
    public static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String piece : glob.split("\\*", -1)) {
            regex.append(Pattern.quote(piece)).append(".*");
        }
        regex.setLength(regex.length() - 2); // no wildcard after the last piece
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
