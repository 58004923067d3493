package dev.httptap.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a --policy file: one a line, {@code allow PATTERN} or {@code deny PATTERN} (the patterns of
 * --allow and --deny); {@code #} starts a comment, to the end of the line; blank lines are skipped:
 * <pre>
 * # what the build may reach
 * allow registry.example.org:443
 * allow 10.0.0.0/8
 * deny  *.tracker.example       # even though 10.0.0.0/8 is allowed
 * </pre>
 * An error names the file and the line. --audit prints this form.
 */
public final class PolicyFile {
    private PolicyFile() {}

    /** The rules of {@code file}; throws {@link IllegalArgumentException} saying what is wrong, and where. */
    public static List<Rule> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--policy " + file + ": cannot read it: " + e.getMessage(), e);
        }
        return parse(file.toString(), lines);
    }

    /** The rules of the lines of a file named {@code name}. */
    public static List<Rule> parse(String name, List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] words = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String where = name + ":" + (i + 1);
            if (words.length != 2) {
                throw new IllegalArgumentException(where + ": expected 'allow PATTERN' or 'deny PATTERN', got '"
                        + line.trim() + "'");
            }
            Rule.Action action = switch (words[0]) {
                case "allow" -> Rule.Action.ALLOW;
                case "deny" -> Rule.Action.DENY;
                default -> throw new IllegalArgumentException(where + ": '" + words[0]
                        + "' is neither 'allow' nor 'deny'");
            };
            rules.add(new Rule(action, Rule.parsePattern(where, words[1]), where + " " + action.word() + " " + words[1]));
        }
        return rules;
    }
}
