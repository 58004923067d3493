package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests on one kept-alive connection are each printed, in order, and still share one connection. */
class KeepAliveIT {
    private static final int REQUESTS = 20;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void twentyRequestsOnOneConnection(Route route) throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            List<String> command = new ArrayList<>(List.of("curl", "-s"));
            List<Exchange> exchanges = new ArrayList<>();
            for (int i = 1; i <= REQUESTS; i++) {
                String url = route.baseUrl(server.port()) + "/hello?request=" + i;
                command.add(url);
                exchanges.add(Exchange.withBody("GET", url, 200, LocalHttpServer.HELLO_BODY));
            }

            ProcessRun run = route.run(command.toArray(String[]::new));

            assertClientRun(route, run, LocalHttpServer.HELLO_BODY.repeat(REQUESTS), exchanges.toArray(Exchange[]::new));
            assertEquals(1, server.connectionsAccepted(), () -> "connections the server accepted; its failures: " + server.failures());
        }
    }
}
