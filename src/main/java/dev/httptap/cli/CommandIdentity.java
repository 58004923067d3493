package dev.httptap.cli;

import dev.httptap.sandbox.InsideIds;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Who the command is, from {@code --user}, {@code --uid} and {@code --gid}. Root switches to the
 * {@code --user} account for real (the helper's setuid, as the original does). Anyone else cannot, so
 * {@code --user NAME} gives the command NAME's uid and gid as seen inside its user namespace, as
 * {@code --uid} and {@code --gid} do, with a note saying what it does not do.
 *
 * @param switchTo the account root switches to, or null
 * @param insideIds the ids the command sees inside its user namespace
 * @param note what the user should know, or empty
 */
record CommandIdentity(String switchTo, InsideIds insideIds, Optional<String> note) {
    static final CommandIdentity CALLERS = new CommandIdentity(null, InsideIds.USUAL, Optional.empty());

    /**
     * The command runs with the caller's own ids, as {@link #CALLERS}. Compared field by field: a record's
     * own equals costs ~15 ms of method-handle set-up on its first call, at start-up.
     */
    boolean isCallers() {
        return switchTo == null && insideIds.uid().isEmpty() && insideIds.gid().isEmpty() && note.isEmpty();
    }

    static CommandIdentity choose(String user, Long uid, Long gid, boolean newUserNamespace, Caller caller) {
        if (user != null && (uid != null || gid != null)) {
            throw new IllegalArgumentException("--user cannot be combined with --uid or --gid: it sets both");
        }
        if (!newUserNamespace && (uid != null || gid != null)) {
            throw new IllegalArgumentException("--uid and --gid map ids into the command's user namespace: "
                    + "they cannot be used with --no-new-user-namespace");
        }
        InsideIds given = new InsideIds(optional("--uid", uid), optional("--gid", gid));
        if (user == null) {
            return new CommandIdentity(null, given, Optional.empty());
        }
        if (caller.root()) {
            return new CommandIdentity(user, InsideIds.USUAL, Optional.empty());
        }
        Account account = lookUp(user, caller);
        return new CommandIdentity(null, new InsideIds(OptionalLong.of(account.uid()), OptionalLong.of(account.gid())),
                Optional.of("--user " + user + ": the command sees uid " + account.uid() + " and gid " + account.gid()
                        + " inside its namespace but keeps your rights outside (a real switch of user needs root)"));
    }

    private static OptionalLong optional(String flag, Long id) {
        if (id == null) {
            return OptionalLong.empty();
        }
        if (id < 0 || id > InsideIds.MAX_ID) {
            throw new IllegalArgumentException(flag + " " + id + ": an id is 0 to " + InsideIds.MAX_ID);
        }
        return OptionalLong.of(id);
    }

    /** A passwd entry's ids. */
    private record Account(long uid, long gid) {}

    /**
     * The account named (or numbered) by {@code user} in the caller's passwd file, as the helper's getpwnam
     * then getpwuid find it: a number without an entry is that uid with the same number as gid.
     */
    private static Account lookUp(String user, Caller caller) {
        String text;
        try {
            text = Files.readString(caller.passwd());
        } catch (IOException e) {
            throw new IllegalArgumentException("--user " + user + ": cannot read " + caller.passwd() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        Optional<Account> byName = find(text, fields -> fields[0].equals(user));
        if (byName.isPresent()) {
            return byName.get();
        }
        OptionalLong number = number(user);
        if (number.isEmpty() || number.getAsLong() > InsideIds.MAX_ID) {
            throw new IllegalArgumentException("--user " + user + ": no such user in " + caller.passwd());
        }
        long uid = number.getAsLong();
        return find(text, fields -> number(fields[2]).equals(OptionalLong.of(uid))).orElse(new Account(uid, uid));
    }

    private static Optional<Account> find(String passwd, Predicate<String[]> matches) {
        for (String line : passwd.split("\n")) {
            String[] fields = line.split(":", -1);
            if (fields.length < 4 || !matches.test(fields)) {
                continue;
            }
            OptionalLong uid = number(fields[2]);
            OptionalLong gid = number(fields[3]);
            if (uid.isPresent() && gid.isPresent()) {
                return Optional.of(new Account(uid.getAsLong(), gid.getAsLong()));
            }
        }
        return Optional.empty();
    }

    private static OptionalLong number(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }
}
