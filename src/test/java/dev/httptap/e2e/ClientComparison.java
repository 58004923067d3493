package dev.httptap.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * One client run twice against a server the test started on 127.0.0.1: directly, and under
 * {@code ./httptap --stderr} against host.httptap.local (so that the client's stdout is its own, byte for
 * byte). Checks that the client got the same bytes and the same error, that httptap exited with the
 * client's code and printed the expected exchange lines, and that httptap's memory stayed bounded.
 */
final class ClientComparison {
    /** Far above an idle httptap (about 70 MiB), far below what holding a hostile peer's bytes would take. */
    private static final long MAX_RSS_MIB = 400;

    /** urllib, as most python programs fetch: the body's length and hash, or the exception's class (and its reason's). */
    static final String PYTHON_URLLIB = """
            import hashlib, sys, urllib.request
            try:
                body = urllib.request.urlopen(sys.argv[1], timeout=20).read()
                print('body', len(body), hashlib.sha256(body).hexdigest())
            except Exception as e:
                reason = getattr(e, 'reason', None)
                partial = getattr(e, 'partial', None)
                print('error', type(e).__name__, type(reason).__name__ if isinstance(reason, BaseException) else '',
                      '' if partial is None else len(partial))
                sys.exit(3)
            """;

    /** A client command line; the URL is added last, per route. */
    record Client(List<String> command) {
        static Client of(String... command) {
            return new Client(List.of(command));
        }

        static Client curl(String... options) {
            List<String> command = new ArrayList<>(List.of("curl", "-s"));
            command.addAll(List.of(options));
            return new Client(command);
        }

        static Client urllib() {
            return of("python3", "-c", PYTHON_URLLIB);
        }

        /** The same client with environment variables set (e.g. what it trusts when run directly). */
        Client withEnvironment(String... assignments) {
            List<String> line = new ArrayList<>(List.of("env"));
            line.addAll(List.of(assignments));
            line.addAll(command);
            return new Client(line);
        }

        String[] to(String url) {
            List<String> line = new ArrayList<>(command);
            line.add(url);
            return line.toArray(String[]::new);
        }
    }

    private final String scheme;
    private final String path;
    private final List<String> httptapFlags = new ArrayList<>(List.of("--stderr"));

    private ClientComparison(String scheme, String path) {
        this.scheme = scheme;
        this.path = path;
    }

    /** Clients of {@code scheme} ("http", "https") asking for {@code path}. */
    static ClientComparison of(String scheme, String path) {
        return new ClientComparison(scheme, path);
    }

    ClientComparison httptapFlags(String... flags) {
        httptapFlags.addAll(List.of(flags));
        return this;
    }

    /**
     * Runs {@code direct} and then {@code tapped} (the same client, but for what it is told to trust) against
     * the server on {@code port}. {@code expectedExit}: what the direct run must give, so the case really
     * tests something; {@code exchangeLines}: regexes of httptap's exchange lines in order, where URL stands
     * for the tapped URL and SERVER for its "host:port".
     */
    void assertSame(int port, Client direct, Client tapped, int expectedExit, String... exchangeLines)
            throws InterruptedException {
        String server = Httptap.HOST + ":" + port;
        String url = scheme + "://" + server + path;
        ProcessRun directRun = Route.DIRECT.run(direct.to(scheme + "://127.0.0.1:" + port + path));
        RunningCommand running = Httptap.command(tapped.to(url)).flags(httptapFlags.toArray(String[]::new)).start();
        ResidentMemory memory = ResidentMemory.of(running);
        ProcessRun tappedRun = running.awaitExit(E2eSettings.runTimeout());
        long peakMib = memory.peakMib();
        List<String> printed = ProcessRun.exchangeLines(tappedRun.stderrLines());
        List<String> expected = Arrays.stream(exchangeLines)
                .map(line -> line.replace("URL", Pattern.quote(url)).replace("SERVER", Pattern.quote(server)))
                .toList();
        assertAll(String.join(" ", tapped.command()) + "\n" + directRun.describe() + "\n" + tappedRun.describe(),
                () -> assertEquals(expectedExit, directRun.exitCode(), "the client's exit code without httptap"),
                () -> assertEquals(digest(directRun.stdout()), digest(tappedRun.stdout()), "what the client wrote"),
                () -> assertEquals(directRun.exitCode(), tappedRun.exitCode(), "httptap's exit code, the client's"),
                () -> assertEquals(expected.size(), printed.size(), "exchange lines: " + printed),
                () -> assertTrue(IntStream.range(0, Math.min(expected.size(), printed.size()))
                        .allMatch(i -> printed.get(i).matches(expected.get(i))), printed + " should match " + expected),
                () -> assertTrue(peakMib < MAX_RSS_MIB, "httptap's peak resident memory: " + peakMib + " MiB"));
    }

    /** The same client both ways. */
    void assertSame(int port, Client client, int expectedExit, String... exchangeLines) throws InterruptedException {
        assertSame(port, client, client, expectedExit, exchangeLines);
    }

    private static String digest(byte[] bytes) {
        return bytes.length + " bytes, sha-256 " + HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
    }
}
