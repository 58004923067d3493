package dev.httptap.e2e;

import java.time.Duration;
import java.util.List;

/**
 * The two ways a client test runs: DIRECT against 127.0.0.1 (the baseline, which also checks the fixtures
 * and the client commands themselves), and TAPPED through httptap against host.httptap.local. A test that
 * passes on both shows that httptap changed nothing the client sees, and printed what it should.
 */
enum Route {
    DIRECT("127.0.0.1") {
        @Override
        ProcessRun run(Duration timeout, String... command) {
            return RunningCommand.run(timeout, List.of(command));
        }

        @Override
        List<String> expectedExchangeLines(List<Exchange> exchanges) {
            return List.of();
        }
    },
    TAPPED(Httptap.HOST) {
        @Override
        ProcessRun run(Duration timeout, String... command) {
            return Httptap.command(command).timeout(timeout).run();
        }

        @Override
        List<String> expectedExchangeLines(List<Exchange> exchanges) {
            return Exchange.linesOf(exchanges);
        }
    };

    private final String host;

    Route(String host) {
        this.host = host;
    }

    /** "http://HOST:PORT" as a client on this route reaches a fixture on 127.0.0.1:PORT. */
    String baseUrl(int port) {
        return "http://" + host + ":" + port;
    }

    ProcessRun run(String... command) {
        return run(E2eSettings.runTimeout(), command);
    }

    abstract ProcessRun run(Duration timeout, String... command);

    /** The exchange lines this route prints on stdout: none directly, two per exchange through httptap. */
    abstract List<String> expectedExchangeLines(List<Exchange> exchanges);
}
