package dev.httptap.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Answers GET with the files under a directory, as a static web server does: a path ending in "/" gets
 * that directory's index.html (PEP 503 indexes are such URLs).
 */
final class StaticFiles {
    private final Path root;
    private final Consumer<RepositoryServer.Served> record;

    StaticFiles(Path root, Consumer<RepositoryServer.Served> record) {
        this.root = root.toAbsolutePath().normalize();
        this.record = record;
    }

    void serve(RequestHead head, ResponseWriter response) throws IOException {
        if (!head.method().equals("GET")) {
            answer(head, response, 405, "only GET here\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String path = head.path();
        Path file = root.resolve(path.substring(1) + (path.endsWith("/") ? "index.html" : "")).normalize();
        if (!file.startsWith(root)) {
            answer(head, response, 404, "outside the served tree\n".getBytes(StandardCharsets.UTF_8));
        } else if (Files.isRegularFile(file)) {
            sendFile(head, file, response);
        } else {
            answer(head, response, 404, ("no such file: " + path + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void answer(RequestHead head, ResponseWriter response, int status, byte[] body) throws IOException {
        record.accept(new RepositoryServer.Served(head.method(), head.target(), status, body.length));
        response.fixed(status, body, "Content-Type: text/plain");
    }

    private void sendFile(RequestHead head, Path file, ResponseWriter response) throws IOException {
        long length = Files.size(file);
        record.accept(new RepositoryServer.Served(head.method(), head.target(), 200, length));
        OutputStream out = response.startFixed(200, length, "Content-Type: " + contentType(file));
        Files.copy(file, out);
        response.flush();
    }

    /** pip reads an index page only when it says it is HTML. */
    private static String contentType(Path file) {
        return file.getFileName().toString().endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
    }
}
