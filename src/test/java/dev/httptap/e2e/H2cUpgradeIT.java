package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 begun by {@code Upgrade: h2c}, as curl {@code --http2} does for an http:// URL, against a local
 * server that takes the upgrade: the request that asked prints with its response from stream 1, later
 * streams print like any HTTP/2 exchange.
 */
class H2cUpgradeIT {
    private static TcpServerFixture server;
    private static String origin;

    @BeforeAll
    static void startServer() throws IOException {
        server = TcpServerFixture.start(50, new H2cUpgradeServer());
        origin = "http://" + Httptap.HOST + ":" + server.port();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Test
    void curlsUpgradedRequestPrintsWithItsHttp2Response() {
        String url = origin + "/hello";
        ProcessRun run = Httptap.command("curl", "-sS", "--http2", "-w", "%{http_version} %{response_code}\n", url)
                .run();
        assertClientRun(Route.TAPPED, run, H2cUpgradeServer.body(1) + "2 200\n",
                Exchange.withBody("GET", url, 200, H2cUpgradeServer.body(1)));
        assertEquals(List.of(), server.failures());
    }

    @Test
    void laterRequestsOnTheUpgradedConnectionAreFollowedToo() {
        String first = origin + "/first";
        String second = origin + "/second";
        ProcessRun run = Httptap.command("curl", "-sS", "--http2", first, second).run();
        assertClientRun(Route.TAPPED, run, H2cUpgradeServer.body(1) + H2cUpgradeServer.body(3),
                Exchange.withBody("GET", first, 200, H2cUpgradeServer.body(1)),
                Exchange.withBody("GET", second, 200, H2cUpgradeServer.body(3)));
        assertEquals(List.of(), server.failures());
    }
}
