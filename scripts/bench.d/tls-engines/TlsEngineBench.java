import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/** See run: usage {@code TlsEngineBench jsse|boringssl cold|warm}, in a directory holding the run's keys. */
public class TlsEngineBench {
    private static final long START = System.nanoTime();
    private static final int RECORD = 16384;

    interface Engines {
        SSLEngine client() throws Exception;

        SSLEngine server() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Engines engines = switch (name) {
            case "jsse" -> jsse(null);
            case "conscrypt" -> jsse(org.conscrypt.Conscrypt.newProvider());
            // httptap's child side when a capture asks for the TLS secrets (both sides here).
            case "bcjsse" -> {
                // Bouncy Castle's TLS takes its "DEFAULT" SecureRandom from its own JCA provider.
                java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
                yield jsse(new org.bouncycastle.jsse.provider.BouncyCastleJsseProvider());
            }
            default -> boringSsl();
        };
        if (args[1].equals("cold")) {
            handshake(engines.client(), engines.server());
            System.out.printf("%s: first handshake done %.0f ms after main, %d ms after JVM start%n", name,
                    (System.nanoTime() - START) / 1e6, ManagementFactory.getRuntimeMXBean().getUptime());
            return;
        }
        for (int i = 0; i < 300; i++) {
            handshake(engines.client(), engines.server());
        }
        int pairs = 500;
        long begin = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            handshake(engines.client(), engines.server());
        }
        System.out.printf("%s: warm handshake pair %.2f ms%n", name, (System.nanoTime() - begin) / 1e6 / pairs);
        SSLEngine client = engines.client();
        SSLEngine server = engines.server();
        handshake(client, server);
        System.out.printf("%s: %s%n", name, client.getSession().getCipherSuite());
        for (int round = 0; round < 4; round++) {
            System.out.printf("%s: wrap+unwrap %.0f MB/s%n", name, transfer(server, client, 2_000_000_000L));
        }
    }

    /** Server-side records wrapped and unwrapped by the client for {@code nanos}; MB/s of plaintext. */
    private static double transfer(SSLEngine server, SSLEngine client, long nanos) throws Exception {
        ByteBuffer plain = ByteBuffer.allocateDirect(RECORD);
        ByteBuffer net = ByteBuffer.allocateDirect(2 * RECORD + 2048);
        ByteBuffer out = ByteBuffer.allocateDirect(2 * RECORD);
        long begin = System.nanoTime();
        long bytes = 0;
        while (System.nanoTime() - begin < nanos) {
            plain.clear();
            net.clear();
            server.wrap(plain, net);
            net.flip();
            while (net.hasRemaining()) {
                out.clear();
                SSLEngineResult result = client.unwrap(net, out);
                bytes += out.position();
                if (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    answer(client, server); // e.g. BoringSSL's client acknowledging session tickets
                }
                if (result.bytesConsumed() == 0) {
                    break;
                }
            }
        }
        return bytes / ((System.nanoTime() - begin) / 1e9) / 1e6;
    }

    private static void answer(SSLEngine from, SSLEngine to) throws Exception {
        ByteBuffer records = ByteBuffer.allocate(8192);
        from.wrap(ByteBuffer.allocate(0), records);
        records.flip();
        ByteBuffer ignored = ByteBuffer.allocate(2 * RECORD);
        while (records.hasRemaining() && to.unwrap(records, ignored).bytesConsumed() > 0) {
            ignored.clear();
        }
    }

    /** JSSE's engines from {@code provider}, or from the JDK's when null (Conscrypt is BoringSSL behind JSSE's API). */
    private static Engines jsse(java.security.Provider provider) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream("keys.p12")) {
            keys.load(in, "bench".toCharArray());
        }
        // Bouncy Castle's TLS names key types its own way ("EC/secp256r1"), which only its key managers know.
        KeyManagerFactory keyManagers = provider != null && provider.getName().equals("BCJSSE")
                ? KeyManagerFactory.getInstance("PKIX", provider) : KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keys, "bench".toCharArray());
        SSLContext serverContext = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        SSLContext clientContext = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
        clientContext.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        return new Engines() {
            public SSLEngine client() {
                SSLEngine engine = clientContext.createSSLEngine("host.httptap.local", 443);
                engine.setUseClientMode(true);
                return engine;
            }

            public SSLEngine server() {
                SSLEngine engine = serverContext.createSSLEngine();
                engine.setUseClientMode(false);
                return engine;
            }
        };
    }

    private static Engines boringSsl() throws Exception {
        SslContext server = SslContextBuilder.forServer(new File("cert.pem"), new File("key8.pem"))
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3").build();
        SslContext client = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3").build();
        return new Engines() {
            public SSLEngine client() {
                return client.newEngine(UnpooledByteBufAllocator.DEFAULT, "host.httptap.local", 443);
            }

            public SSLEngine server() {
                return server.newEngine(UnpooledByteBufAllocator.DEFAULT);
            }
        };
    }

    /** Runs both engines until neither has a handshake step or a record left to take. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        ByteBuffer toClient = ByteBuffer.allocate(65536);
        ByteBuffer toServer = ByteBuffer.allocate(65536);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100; i++) {
            step(client, toClient, toServer);
            step(server, toServer, toClient);
            if (idle(client) && idle(server) && toClient.position() == 0 && toServer.position() == 0) {
                return;
            }
        }
        throw new IllegalStateException("handshake stuck: " + client.getHandshakeStatus() + ", " + server.getHandshakeStatus());
    }

    private static boolean idle(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** One engine's turn: tasks, records to send into {@code outbox}, records from {@code inbox}. */
    private static void step(SSLEngine engine, ByteBuffer inbox, ByteBuffer outbox) throws Exception {
        ByteBuffer ignored = ByteBuffer.allocate(65536);
        for (int k = 0; k < 10; k++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                engine.wrap(ByteBuffer.allocate(0), outbox);
            } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN
                    || inbox.position() > 0) {
                inbox.flip();
                SSLEngineResult result = engine.unwrap(inbox, ignored);
                inbox.compact();
                if (result.bytesConsumed() == 0) {
                    return;
                }
            } else {
                return;
            }
        }
    }
}
