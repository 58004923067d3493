package dev.httptap.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * git's smart HTTP for the repositories under a directory, as a web server in front of git gives it: each
 * request runs {@code git http-backend} as a CGI script (RFC 3875), with the request body, already
 * de-chunked, on its standard input and its output sent back chunked. Pushes are allowed (REMOTE_USER set).
 */
final class GitHttpBackend {
    /** Framing the server undid: the script gets the body's length instead. */
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection");
    private static final long EXIT_SECONDS = 30;

    private final Path root;
    private final Consumer<RepositoryServer.Served> record;

    GitHttpBackend(Path root, Consumer<RepositoryServer.Served> record) {
        this.root = root.toAbsolutePath();
        this.record = record;
    }

    /** Runs the script for one request; {@code pathInfo} is the path after the script's own prefix. */
    void serve(RequestHead head, String pathInfo, RequestBody body, ResponseWriter response) throws IOException {
        // A file, not a pipe: the script may answer before it has read everything, and nothing can then block.
        Path input = Files.createTempFile("git-http-backend", ".body");
        try {
            Files.copy(body, input, StandardCopyOption.REPLACE_EXISTING);
            ProcessBuilder script = new ProcessBuilder("git", "http-backend")
                    .redirectInput(input.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(root.resolve("http-backend.log").toFile()));
            environment(script.environment(), head, pathInfo, Files.size(input));
            Process process = script.start();
            try (InputStream out = new BufferedInputStream(process.getInputStream())) {
                relay(head, out, response);
            } finally {
                awaitExit(process);
            }
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private void environment(Map<String, String> env, RequestHead head, String pathInfo, long bodyLength) {
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_PROTOCOL", head.version());
        env.put("REQUEST_METHOD", head.method());
        env.put("PATH_INFO", pathInfo);
        int query = head.target().indexOf('?');
        env.put("QUERY_STRING", query < 0 ? "" : head.target().substring(query + 1));
        env.put("CONTENT_LENGTH", Long.toString(bodyLength));
        if (head.header("content-type") != null) {
            env.put("CONTENT_TYPE", head.header("content-type"));
        }
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("REMOTE_USER", "tester");
        head.headers().forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name)) {
                env.put("HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), value);
            }
        });
    }

    /** The script's header lines, "Status:" among them, become the response's; the rest is the body. */
    private void relay(RequestHead head, InputStream out, ResponseWriter response) throws IOException {
        int status = 200;
        List<String> fields = new ArrayList<>();
        for (String line = RequestHead.readLine(out); line != null && !line.isEmpty(); line = RequestHead.readLine(out)) {
            if (line.regionMatches(true, 0, "Status:", 0, "Status:".length())) {
                status = Integer.parseInt(line.substring("Status:".length()).trim().split(" ")[0]);
            } else {
                fields.add(line);
            }
        }
        response.startChunked(status, fields.toArray(String[]::new));
        long length = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = out.read(buffer)) != -1; ) {
            response.chunk(buffer, 0, n);
            length += n;
        }
        record.accept(new RepositoryServer.Served(head.method(), head.target(), status, length));
        response.endChunked();
    }

    private static void awaitExit(Process process) throws IOException {
        try {
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("git http-backend did not exit within " + EXIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for git http-backend", e);
        }
    }
}
