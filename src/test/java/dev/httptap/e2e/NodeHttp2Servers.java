package dev.httptap.e2e;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The two node HTTP/2 servers of the h2 tests, one over TLS with the test PKI's certificate and one in
 * clear (h2c), and the file of the test CA that signed the certificate (for --ca-file).
 */
record NodeHttp2Servers(Path caFile, NodeHttp2Server tls, NodeHttp2Server plain) implements AutoCloseable {
    static NodeHttp2Servers start(Path dir) throws IOException {
        TestPki pki = TestPki.create();
        Path caFile = pki.writeCaPem(dir);
        return new NodeHttp2Servers(caFile, NodeHttp2Server.startTls(dir, pki.writeServerPem(dir)),
                NodeHttp2Server.startPlain(dir));
    }

    @Override
    public void close() throws InterruptedException {
        tls.close();
        plain.close();
    }
}
