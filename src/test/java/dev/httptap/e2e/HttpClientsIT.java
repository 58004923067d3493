package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ordinary HTTP clients see the same bytes with and without httptap, and httptap prints each exchange. */
class HttpClientsIT {
    private static final String HELLO = LocalHttpServer.HELLO_BODY;
    private LocalHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = LocalHttpServer.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void curl(Route route) {
        String url = route.baseUrl(server.port()) + "/hello?client=curl&n=1";
        ProcessRun run = route.run("curl", "-s", url);
        assertClientRun(route, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void pythonUrllib(Route route) {
        String url = route.baseUrl(server.port()) + "/hello?client=python";
        ProcessRun run = route.run("python3", "-c",
                "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())",
                url);
        assertClientRun(route, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void wget(Route route) {
        String url = route.baseUrl(server.port()) + "/hello?client=wget";
        ProcessRun run = route.run("wget", "-qO-", url);
        assertClientRun(route, run, HELLO, Exchange.withBody("GET", url, 200, HELLO));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void chunkedResponseIsCountedWithoutItsFraming(Route route) {
        String url = route.baseUrl(server.port()) + "/chunked";
        // curl writes the body as pieces arrive, while httptap prints when the response ends: on a shared
        // stdout the two could interleave mid-line, so the body is shown only after curl has finished.
        ProcessRun run = route.run("sh", "-c", "f=$(mktemp) && curl -s -o \"$f\" \"$1\" && cat \"$f\"; rm -f \"$f\"",
                "sh", url);
        assertClientRun(route, run, String.join("", LocalHttpServer.CHUNKS),
                new Exchange("GET", url, 200, LocalHttpServer.chunkedBodyLength()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void postBodyIsEchoed(Route route) {
        String url = route.baseUrl(server.port()) + "/echo";
        String body = "posted body: 0123456789 (bytes ~!@#$%)\n";
        ProcessRun run = route.run("curl", "-s", "--data-binary", body, url);
        assertClientRun(route, run, body, Exchange.withBody("POST", url, 200, body));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void chunkedPostBodyIsEchoedChunked(Route route) {
        String url = route.baseUrl(server.port()) + "/echo";
        String body = "sent in chunked framing\n";
        ProcessRun run = route.run("curl", "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", body, url);
        assertClientRun(route, run, body, Exchange.withBody("POST", url, 200, body));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void slowResponseArrivesWhole(Route route) {
        String url = route.baseUrl(server.port()) + "/slow";
        String body = String.join("", LocalHttpServer.SLOW_PIECES);
        ProcessRun run = route.run("curl", "-s", url);
        assertClientRun(route, run, body, Exchange.withBody("GET", url, 200, body));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void notFoundIsPrintedWithItsStatus(Route route) {
        String url = route.baseUrl(server.port()) + "/missing";
        String body = "no such fixture endpoint: GET /missing\n";
        ProcessRun run = route.run("curl", "-s", url);
        assertClientRun(route, run, body, Exchange.withBody("GET", url, 404, body));
    }

}
