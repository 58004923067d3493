package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * httptap as an ordinary user (system property httptap.e2e.user, default "tester"). The suite runs as root
 * and switches to that user with runuser. Both situations of {@link OpenTun} are tested: the machine's own
 * device, and a 0666 device node made in a private mount namespace.
 */
class UnprivilegedUserIT {
    private static final String USER = E2eSettings.unprivilegedUser();
    private static final String TUN = OpenTun.DEVICE;
    private static final String[] PRIVATE_OPEN_TUN = OpenTun.PRIVATE_DEVICE;

    @BeforeAll
    static void runsAsRootWithTheUserPresent() {
        ProcessRun self = Route.DIRECT.run("id", "-u");
        assertEquals("0\n", self.stdoutText(), "the unprivileged-user tests run as root (they switch user with runuser)");
        ProcessRun user = Route.DIRECT.run("id", "-u", USER);
        assertEquals(0, user.exitCode(), "the unprivileged user '" + USER + "' must exist: " + user.stderrText());
    }

    @Test
    void withTheMachinesOwnDevice() throws IOException {
        if (OpenTun.usableBy(USER)) {
            assertUserCanTap();
        } else {
            assertRefusalNamesTheDevice(Httptap.command("true").asUser(USER).run());
        }
    }

    @Test
    void withAnOpenDevice() throws IOException {
        assertUserCanTap(PRIVATE_OPEN_TUN);
    }

    /**
     * --uid/--gid map the user's own ids to the ones asked for; --user, which root alone can switch to for
     * real, gives that account's ids inside, and a note says so.
     */
    @Test
    void idsInsideAreTheOnesAskedForWithoutRoot() {
        ProcessRun zero = Httptap.command("sh", "-c", "id -u; id -g").flags("--uid", "0", "--gid", "0")
                .wrappedIn(PRIVATE_OPEN_TUN).asUser(USER).run();
        ProcessRun other = Httptap.command("id", "-u").flags("--uid", "1234").wrappedIn(PRIVATE_OPEN_TUN).asUser(USER).run();
        ProcessRun nobody = Httptap.command("sh", "-c", "id -u; id -g").flags("--user", "nobody")
                .wrappedIn(PRIVATE_OPEN_TUN).asUser(USER).run();
        String nobodyIds = Route.DIRECT.run("sh", "-c", "id -u nobody; id -g nobody").stdoutText();
        List<String> uidAndGid = nobodyIds.lines().toList();

        assertAll(zero.describe() + "\n" + other.describe() + "\n" + nobody.describe(),
                () -> assertEquals("0\n0\n", zero.programStdout(), "--uid 0 --gid 0"),
                () -> assertEquals("1234\n", other.programStdout(), "--uid 1234"),
                () -> assertEquals(nobodyIds, nobody.programStdout(), "--user nobody"),
                () -> assertEquals(List.of("httptap: --user nobody: the command sees uid " + uidAndGid.get(0) + " and gid "
                        + uidAndGid.get(1) + " inside its namespace but keeps your rights outside (a real switch of user"
                        + " needs root)"), nobody.stderrLines(), "the note"));
    }

    @Test
    void aMissingUserIsAUsageErrorNamingUser() {
        ProcessRun run = Httptap.command("true").flags("--user", "httptap-e2e-no-such-user").asUser(USER).run();

        assertAll(run.describe(),
                () -> assertEquals(2, run.exitCode(), "exit code"),
                () -> assertEquals(List.of("httptap: --user httptap-e2e-no-such-user: no such user in /etc/passwd"),
                        run.stderrLines()));
    }

    /** Run as the user (inside {@code wrapper}, if any): its uid inside is its own, and an exchange is seen. */
    private static void assertUserCanTap(String... wrapper) throws IOException {
        String uid = Route.DIRECT.run("id", "-u", USER).stdoutText();
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = Route.TAPPED.baseUrl(server.port()) + "/hello";
            ProcessRun run = Httptap.command("sh", "-c", "id -u; curl -s " + url).wrappedIn(wrapper).asUser(USER).run();

            assertAll(run.describe(),
                    () -> assertEquals(0, run.exitCode(), "exit code"),
                    () -> assertEquals(uid + LocalHttpServer.HELLO_BODY, run.programStdout(), "uid and body"),
                    () -> assertEquals(Exchange.withBody("GET", url, 200, LocalHttpServer.HELLO_BODY).lines(),
                            ProcessRun.exchangeLines(run.stdoutLines()), "exchange lines"));
        }
    }

    /** One clear line naming the device, and a failure exit code. */
    private static void assertRefusalNamesTheDevice(ProcessRun run) {
        List<String> messages = run.stderrLines().stream().filter(line -> !line.isBlank()).toList();
        assertAll(run.describe(),
                () -> assertNotEquals(0, run.exitCode(), "exit code"),
                () -> assertEquals(1, messages.size(), "one line on stderr"),
                () -> assertTrue(messages.stream().allMatch(line -> line.contains(TUN)), "the line names " + TUN));
    }
}
