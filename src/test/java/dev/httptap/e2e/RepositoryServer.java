package dev.httptap.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The server package managers and git fetch from in the tests, on 127.0.0.1: the files under a directory,
 * as an npm registry, a PEP 503 index, a Maven repository, an apt repository or git's dumb HTTP serve them
 * ({@link StaticFiles}), and git's smart HTTP under {@code /git/} ({@link GitHttpBackend}), over HTTPS with
 * the test PKI's certificate or in plain HTTP. It keeps what it answered, so that a test can hold httptap's
 * lines against it whatever requests the client chose to make.
 */
final class RepositoryServer implements AutoCloseable {
    /** One answer: the request's method and target, the status and the body's length as sent. */
    record Served(String method, String target, int status, long bodyBytes) {}

    private static final String GIT_PREFIX = "/git";

    private final LocalHttpServer server;
    private final String scheme;
    private final List<Served> served = new ArrayList<>();

    private RepositoryServer(Path root, String scheme, ServerStart start) throws IOException {
        this.scheme = scheme;
        StaticFiles files = new StaticFiles(root, this::record);
        GitHttpBackend git = new GitHttpBackend(root, this::record);
        server = start.start((head, body, response) -> {
            if (head.path().startsWith(GIT_PREFIX + "/")) {
                git.serve(head, head.path().substring(GIT_PREFIX.length()), body, response);
            } else {
                files.serve(head, response);
            }
        });
    }

    private interface ServerStart {
        LocalHttpServer start(LocalHttpServer.Responder responder) throws IOException;
    }

    static RepositoryServer startTls(Path root, SSLContext tls) throws IOException {
        return new RepositoryServer(root, "https", responder -> LocalHttpServer.startTls(tls, responder));
    }

    static RepositoryServer startPlain(Path root) throws IOException {
        return new RepositoryServer(root, "http", LocalHttpServer::start);
    }

    /** "SCHEME://HOST:PORT", the server's URL for a client that reaches 127.0.0.1 by {@code host}. */
    String base(String host) {
        return scheme + "://" + host + ":" + server.port();
    }

    /** What was answered since the last call. The answers are kept before their last byte goes out. */
    synchronized List<Served> takeServed() {
        List<Served> taken = List.copyOf(served);
        served.clear();
        return taken;
    }

    /** Problems the server saw on its connections, for assertion messages. */
    List<String> failures() {
        return server.failures();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private synchronized void record(Served answer) {
        served.add(answer);
    }
}
