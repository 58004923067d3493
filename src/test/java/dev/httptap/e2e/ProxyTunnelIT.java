package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command behind an HTTP proxy (HTTPS_PROXY, curl -x): its HTTPS requests go through CONNECT tunnels, and
 * httptap shows each request inside them, not only the CONNECT.
 */
class ProxyTunnelIT {
    private static final String HELLO = LocalHttpServer.HELLO_BODY;
    private static final TestPki PKI = TestPki.create();

    @TempDir
    Path dir;
    private Path caFile;
    private LocalHttpServer server;
    private ConnectProxy proxy;
    private String proxyUrl;
    private String target;

    @BeforeEach
    void start() throws IOException {
        server = LocalHttpServer.startTls(PKI.serverContext());
        proxy = ConnectProxy.start();
        caFile = PKI.writeCaPem(dir);
        proxyUrl = "http://" + Httptap.HOST + ":" + proxy.port();
        target = Httptap.HOST + ":" + server.port();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        server.close();
    }

    @Test
    void curlThroughAProxyShowsTheRequestsInsideItsTunnel() {
        String url = "https://" + target + "/hello?via=proxy";
        ProcessRun run = tapped("curl", "-sS", "-x", proxyUrl, url);
        assertClientRun(Route.TAPPED, run, HELLO, connect(), Exchange.withBody("GET", url, 200, HELLO));
        assertEquals(List.of(target), proxy.targets(), () -> "one tunnel, asked of the proxy: " + proxy.failures());
    }

    @ParameterizedTest(name = "its 407 in chunks: {0}")
    @ValueSource(booleans = {false, true})
    void aProxyAskingForCredentialsIsAnsweredOnTheSameConnection(boolean chunked) throws IOException {
        // curl --proxy-anyauth asks without credentials first, reads the 407 (its body after a Content-Length,
        // or in chunks), and asks again with them on the same connection.
        try (ConnectProxy asking = ConnectProxy.withCredentials("user", "secret", chunked)) {
            String askingUrl = "http://" + Httptap.HOST + ":" + asking.port();
            String url = "https://" + target + "/hello";
            ProcessRun run = tapped("curl", "-sS", "--proxy-anyauth", "-U", "user:secret", "-x", askingUrl, url);
            Exchange refused = new Exchange("CONNECT", "http://" + target, 407, ConnectProxy.REFUSAL_BODY.length());
            assertClientRun(Route.TAPPED, run, HELLO, refused, connect(), Exchange.withBody("GET", url, 200, HELLO));
            assertEquals(List.of("refused", target), asking.targets(), () -> asking.failures().toString());
            assertEquals(1, asking.connections(), "the retry came on the same connection");
        }
    }

    @Test
    void pythonWithHttpsProxySetShowsItsRequests() {
        String url = "https://" + target + "/echo";
        String script = "import os, urllib.request\n"
                + "os.environ['https_proxy'] = '" + proxyUrl + "'\n"
                + "request = urllib.request.Request('" + url + "', data=b'through the tunnel')\n"
                + "body = urllib.request.urlopen(request).read().decode()\n"
                // one write: httptap prints its lines on the same stdout (see CaptureIT)
                + "import sys; sys.stdout.write(body + '\\n')\n";
        ProcessRun run = tapped("python3", "-c", script);
        assertClientRun(Route.TAPPED, run, "through the tunnel\n", connect(),
                Exchange.withBody("POST", url, 200, "through the tunnel"));
    }

    @Test
    void aTunnelTheServerRefusesToVerifyFailsAsItWouldDirectly() {
        // The proxy reaches the test's server, whose certificate does not name other.test: httptap checks it as
        // the child would, and the child fails verification (curl exit 60) instead of talking to it.
        String otherTarget = "other.test:" + server.port();
        ProcessRun run = tapped("curl", "-sS", "-x", proxyUrl, "https://" + otherTarget + "/hello");
        assertEquals(60, run.exitCode(), run.describe());
        assertEquals(List.of(otherTarget), proxy.targets());
    }

    @Test
    void theEgressPolicyDecidesTheServerNamedInsideTheTunnel() {
        // The proxy is asked for an allowed target, but the TLS inside names another server (domain fronting
        // through a proxy): refused by the policy as a direct connection would be, before any request.
        assertFrontingRefused(proxy, proxyUrl);
    }

    @Test
    void theEgressPolicyDecidesTheServerNamedInsideAnHttpsProxysTunnel() throws IOException {
        try (ConnectProxy tlsProxy = ConnectProxy.startTls(PKI.serverContext())) {
            assertFrontingRefused(tlsProxy, "https://" + Httptap.HOST + ":" + tlsProxy.port());
        }
    }

    /** curl asks {@code via} for a tunnel to the allowed target, then names another server in the TLS inside. */
    private void assertFrontingRefused(ConnectProxy via, String viaUrl) {
        String fronted = "other.test:" + server.port();
        ProcessRun run = Httptap.command("curl", "-sS", "--proxy", viaUrl, "--connect-to", fronted + ":" + target,
                "https://" + fronted + "/hello").flags("--ca-file", caFile.toString(), "--allow", Httptap.HOST).run();
        assertAll(run.describe(),
                () -> assertEquals(35, run.exitCode(), "curl: TLS alert"),
                () -> assertEquals(List.of(target), via.targets(), "the CONNECT itself was allowed"),
                () -> assertTrue(run.stdoutLines().contains(
                        "<--- BLOCKED " + fronted + " (no --allow matches; TLS alert access_denied)"), "BLOCKED line"),
                () -> assertTrue(run.stdoutLines().stream().noneMatch(line -> line.startsWith("---> GET")), "no request"));
    }

    @Test
    void curlThroughAnHttpsProxyShowsTheRequestsInsideItsTunnel() throws IOException {
        // TLS to the proxy, CONNECT inside it, TLS to the server inside the tunnel: curl trusts httptap's CA for
        // both with its default bundle (mounted over), and httptap checks both real certificates (--ca-file).
        try (ConnectProxy tlsProxy = ConnectProxy.startTls(PKI.serverContext())) {
            String url = "https://" + target + "/hello?via=https-proxy";
            ProcessRun run = tapped("curl", "-sS", "--proxy", "https://" + Httptap.HOST + ":" + tlsProxy.port(), url);
            assertClientRun(Route.TAPPED, run, HELLO, connectOverTls(), Exchange.withBody("GET", url, 200, HELLO));
            assertEquals(List.of(target), tlsProxy.targets(), () -> "one tunnel: " + tlsProxy.failures());
        }
    }

    @Test
    void pythonRequestsWithAnHttpsProxyShowsItsRequests() throws IOException {
        try (ConnectProxy tlsProxy = ConnectProxy.startTls(PKI.serverContext())) {
            String url = "https://" + target + "/echo";
            String script = "import os, sys, requests\n"
                    + "os.environ['https_proxy'] = 'https://" + Httptap.HOST + ":" + tlsProxy.port() + "'\n"
                    + "body = requests.post('" + url + "', data=b'through two TLS').text\n"
                    + "sys.stdout.write(body + '\\n')\n";
            ProcessRun run = tapped("python3", "-c", script);
            assertClientRun(Route.TAPPED, run, "through two TLS\n", connectOverTls(),
                    Exchange.withBody("POST", url, 200, "through two TLS"));
            assertEquals(List.of(target), tlsProxy.targets(), () -> tlsProxy.failures().toString());
        }
    }

    @Test
    void aConnectAfterAnotherRequestOnTheSameProxyConnectionIsFollowed() {
        // python's own sockets: a GET in absolute form to the proxy, then CONNECT on the same connection, then
        // TLS inside it (trusting httptap's CA through the bundle httptap mounts over the system's).
        String forwardedUrl = "http://" + Httptap.HOST + ":" + server.port() + "/elsewhere";
        String url = "https://" + target + "/hello";
        String script = String.join("\n",
                "import http.client, socket, ssl, sys",
                "sock = socket.create_connection(('" + Httptap.HOST + "', " + proxy.port() + "))",
                "def ask(head):",
                "    sock.sendall(head.encode())",
                "    answer = http.client.HTTPResponse(sock, method=head.split()[0])",
                "    answer.begin()",
                "    return answer.read() if answer.status != 200 or head.startswith('GET') else b''",
                "first = ask('GET " + forwardedUrl + " HTTP/1.1\\r\\nHost: " + Httptap.HOST + "\\r\\n\\r\\n')",
                "ask('CONNECT " + target + " HTTP/1.1\\r\\nHost: " + target + "\\r\\n\\r\\n')",
                "tls = ssl.create_default_context().wrap_socket(sock, server_hostname='" + Httptap.HOST + "')",
                "inside = http.client.HTTPSConnection('" + target + "')",
                "inside.sock = tls",
                "inside.request('GET', '/hello')",
                "sys.stdout.write(first.decode() + inside.getresponse().read().decode())",
                "");
        ProcessRun run = tapped("python3", "-c", script);
        assertClientRun(Route.TAPPED, run, ConnectProxy.FORWARDED_BODY + HELLO,
                Exchange.withBody("GET", forwardedUrl, 200, ConnectProxy.FORWARDED_BODY), connect(),
                Exchange.withBody("GET", url, 200, HELLO));
        assertEquals(List.of("GET " + forwardedUrl, target), proxy.targets(), () -> proxy.failures().toString());
        assertEquals(1, proxy.connections());
    }

    private Exchange connect() {
        return new Exchange("CONNECT", "http://" + target, 200, 0);
    }

    /** An https:// proxy's CONNECT, shown as the intercepted exchange it is. */
    private Exchange connectOverTls() {
        return new Exchange("CONNECT", "https://" + target, 200, 0);
    }

    private ProcessRun tapped(String... command) {
        return Httptap.command(command).flags("--ca-file", caFile.toString()).run();
    }
}
