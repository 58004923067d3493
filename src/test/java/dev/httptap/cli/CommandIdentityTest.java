package dev.httptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httptap.sandbox.InsideIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandIdentityTest {
    private static final String PASSWD = String.join("\n",
            "root:x:0:0:root:/root:/bin/bash",
            "# a comment line",
            "broken line",
            "alice:x:1001:1002:Alice:/home/alice:/bin/sh",
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
            "");

    @TempDir
    Path temp;

    private Caller user() throws IOException {
        return new Caller(false, Files.writeString(temp.resolve("passwd"), PASSWD));
    }

    private static InsideIds ids(long uid, long gid) {
        return new InsideIds(OptionalLong.of(uid), OptionalLong.of(gid));
    }

    @Test
    void withoutRootUserGivesThatAccountsIdsInsideAndSaysWhatItDoesNot() throws IOException {
        CommandIdentity identity = CommandIdentity.choose("alice", null, null, true, user());

        assertNull(identity.switchTo(), "no setuid without root");
        assertEquals(ids(1001, 1002), identity.insideIds());
        assertEquals(Optional.of("--user alice: the command sees uid 1001 and gid 1002 inside its namespace but keeps "
                + "your rights outside (a real switch of user needs root)"), identity.note());
    }

    @Test
    void aNumberIsLookedUpByUidAndStandsAloneWithoutAnEntry() throws IOException {
        assertEquals(ids(65534, 65534), CommandIdentity.choose("65534", null, null, true, user()).insideIds());
        assertEquals(ids(1001, 1002), CommandIdentity.choose("1001", null, null, true, user()).insideIds());
        assertEquals(ids(4242, 4242), CommandIdentity.choose("4242", null, null, true, user()).insideIds());
    }

    @Test
    void aMissingUserIsAnErrorNamingUser() throws IOException {
        Caller caller = user();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandIdentity.choose("mallory", null, null, true, caller));
        assertEquals("--user mallory: no such user in " + caller.passwd(), e.getMessage());
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> CommandIdentity.choose("alice", null, null, true, new Caller(false, temp.resolve("none"))));
        assertTrue(unreadable.getMessage().startsWith("--user alice: cannot read "), unreadable.getMessage());
    }

    @Test
    void rootSwitchesForRealWithoutLookingUp() {
        CommandIdentity identity = CommandIdentity.choose("mallory", null, null, true, new Caller(true, temp.resolve("none")));
        assertEquals("mallory", identity.switchTo());
        assertEquals(InsideIds.USUAL, identity.insideIds());
        assertEquals(Optional.empty(), identity.note());
    }

    @Test
    void uidAndGidAreTakenAsGivenEachOnItsOwn() throws IOException {
        assertEquals(new InsideIds(OptionalLong.of(0), OptionalLong.empty()),
                CommandIdentity.choose(null, 0L, null, true, user()).insideIds());
        assertEquals(CommandIdentity.CALLERS, CommandIdentity.choose(null, null, null, true, user()));
    }

    @Test
    void conflictingChoicesAreRefusedNamingTheFlags() throws IOException {
        Caller caller = user();
        assertEquals("--user cannot be combined with --uid or --gid: it sets both",
                assertThrows(IllegalArgumentException.class,
                        () -> CommandIdentity.choose("alice", 0L, null, true, caller)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandIdentity.choose(null, null, 0L, false, caller))
                .getMessage().endsWith("cannot be used with --no-new-user-namespace"));
    }

    @Test
    void theRealUidComesFromProcStatus() {
        assertEquals(1001, Caller.realUid("Name:\tjava\nUid:\t1001\t0\t0\t0\nGid:\t5\t5\t5\t5\n"));
        assertThrows(IllegalArgumentException.class, () -> Caller.realUid("Name:\tjava\n"));
    }
}
