package dev.httptap.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the launcher needs to start a command before the JVM is up, worked out by a run that started one
 * the slow way; native-helper/plan.c documents the format and checks it. Each line is one item, so a value
 * holding a line end cannot be planned: {@link #text()} is then empty and no plan is written.
 *
 * @param expires when the kept CA expires (the launcher stops using the plan a day before)
 * @param caDir the kept CA's directory, which also holds the trust files the mounts show
 * @param jar the httptap jar the plan is for: another installation's launcher shares the cache, not the plan
 * @param checks the files the plan was made from; any change makes it stale
 * @param quietVariables environment variables that change a run: the plan holds only while they are unset
 * @param flags httptap's options that leave the sandbox as planned
 * @param needs commands that start the slow way while a path is absent, which the JVM makes for them
 * @param environment added to the command's environment
 * @param helperOptions the helper's options but IPv6's ({@link HelperArguments#options})
 * @param ipv6Options the helper's IPv6 options, used where the host has IPv6
 */
public record EarlyStartPlan(Instant expires, Path caDir, Path jar, List<FileStamp> checks, List<String> quietVariables,
        List<Flag> flags, List<Need> needs, Map<String, String> environment, List<String> helperOptions, List<String> ipv6Options) {
    static final String HEADER = "httptap-early-start 1";

    /**
     * An option of httptap that the plan holds for.
     *
     * @param name as typed, e.g. "--head"
     * @param takesValue whether a value follows it ("--dump-har FILE")
     * @param mustFinish whether its output matters even when the command sends nothing (then the JVM always
     *     runs to the end)
     */
    public record Flag(String name, boolean takesValue, boolean mustFinish) {}

    /**
     * A command the plan does not start while {@code path} is absent: the JVM makes that path for it (e.g.
     * Chromium's {@code ~/.pki/nssdb}, where its trust is mounted).
     *
     * @param command the command's name (its first word's last part), e.g. "chromium"
     */
    public record Need(String command, Path path) {}

    /** The plan as the file's text, or empty if a value cannot be written on one line. */
    public Optional<String> text() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.add("expires " + expires.getEpochSecond());
        lines.add("ca " + caDir);
        lines.add("jar " + jar);
        for (FileStamp check : checks) {
            lines.add("check " + check.text());
        }
        quietVariables.forEach(name -> lines.add("quiet " + name));
        for (Flag flag : flags) {
            lines.add("flag " + flag.name() + " " + (flag.takesValue() ? 1 : 0) + (flag.mustFinish() ? " finish" : ""));
        }
        needs.forEach(need -> lines.add("need " + need.command() + " " + need.path()));
        environment.forEach((name, value) -> lines.add("env " + name + "=" + value));
        helperOptions.forEach(option -> lines.add("arg " + option));
        ipv6Options.forEach(option -> lines.add("arg6 " + option));
        for (String line : lines) {
            if (line.contains("\n") || line.contains("\r") || line.contains("\0") || line.endsWith(" null")) {
                return Optional.empty();
            }
        }
        return Optional.of(String.join("\n", lines) + "\n");
    }

    /**
     * Writes the plan to {@code file} (0600), replacing the old one in one step so that a launcher never
     * reads half a plan. Returns false, writing nothing, when the plan cannot be put in text.
     */
    public boolean writeTo(Path file) throws IOException {
        Optional<String> text = text();
        if (text.isEmpty()) {
            return false;
        }
        Path partial = Files.createTempFile(file.getParent(), "early-start", ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(partial, text.get(), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return true;
    }
}
