package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large bodies cross the tap intact in both directions (size: system property httptap.e2e.largeBytes,
 * default 256 MiB). Both ends produce the same pseudo-random bytes independently and compare SHA-256.
 */
class LargeTransferIT {
    private static final long SIZE = E2eSettings.largeTransferBytes();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void downloadArrivesIntact(Route route) throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = route.baseUrl(server.port()) + "/bytes/" + SIZE;

            ProcessRun run = route.run(E2eSettings.largeTransferTimeout(), "sh", "-c", "curl -s " + url + " | sha256sum");

            assertClientRun(route, run, DeterministicContent.sha256Hex(SIZE) + "  -\n",
                    new Exchange("GET", url, 200, SIZE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Route.class)
    void uploadArrivesIntact(Route route) throws IOException {
        try (LocalHttpServer server = LocalHttpServer.start()) {
            String url = route.baseUrl(server.port()) + "/upload";
            // curl -T - streams stdin with chunked framing (and waits for "100 Continue" first).
            String upload = DeterministicContent.shellGenerator(SIZE) + " | curl -s -T - " + url;

            ProcessRun run = route.run(E2eSettings.largeTransferTimeout(), "sh", "-c", upload);

            UploadReceipt expected = new UploadReceipt(SIZE, DeterministicContent.sha256Hex(SIZE));
            String answer = expected.length() + " " + expected.sha256() + "\n";
            assertEquals(expected, server.lastUpload(), () -> "what the server received; its failures: " + server.failures()
                    + "\n" + run.describe());
            assertClientRun(route, run, answer, Exchange.withBody("PUT", url, 200, answer));
        }
    }
}
