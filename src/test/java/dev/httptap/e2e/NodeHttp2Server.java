package dev.httptap.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 server of the h2 tests: node's built-in http2 module running {@code h2-server.js} on
 * 127.0.0.1 and an ephemeral port, over TLS with the test PKI's certificate, or in clear (h2c). Java's
 * own HTTP server does not speak HTTP/2.
 */
final class NodeHttp2Server implements AutoCloseable {
    private static final long START_SECONDS = 30;

    private final Process process;
    private final int port;

    private NodeHttp2Server(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static NodeHttp2Server startTls(Path dir, TestPki.PemFiles pem) {
        return startTls(dir, pem, 0);
    }

    /** Over TLS on {@code port} (0: an ephemeral one). */
    static NodeHttp2Server startTls(Path dir, TestPki.PemFiles pem, int port) {
        return start(dir, port, "tls", pem.key().toString(), pem.certificate().toString());
    }

    static NodeHttp2Server startPlain(Path dir) {
        return start(dir, 0, "plain");
    }

    int port() {
        return port;
    }

    /** Copies one of this package's node scripts into {@code dir}; returns its path. */
    static Path script(Path dir, String name) {
        Path file = dir.resolve(name);
        try (InputStream source = NodeHttp2Server.class.getResourceAsStream(name)) {
            if (source == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            Files.copy(source, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static NodeHttp2Server start(Path dir, int port, String... arguments) {
        List<String> command = new ArrayList<>(List.of("node", script(dir, "h2-server.js").toString()));
        command.addAll(List.of(arguments));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("H2_PORT", Integer.toString(port));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node (scripts/test installs it)", e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(START_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("the node HTTP/2 server exited before listening");
            }
            return new NodeHttp2Server(process, Integer.parseInt(line.trim()));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the node HTTP/2 server did not start", e);
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
