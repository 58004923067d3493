package dev.httptap.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM run under httptap with a trust store of its own, holding the server's CA and not httptap's: without
 * help it refuses httptap's leaf, by an alert or by hanging up, as a Java client with a private trust store does.
 */
final class OwnTrustJvm {
    /** A single-file Java program: its class's name and its source. */
    record Program(String className, String source) {}

    /**
     * Two requests racing on connections of their own, then one more, with HttpsURLConnection (as most Java
     * clients, it sends an alert when it refuses a certificate; java.net.http's HttpClient just hangs up):
     * without help a JVM whose trust store lacks httptap's CA refuses the first ones, and the last one
     * reaches the server, passed through.
     */
    static final Program ALERTING = new Program("OwnTrust", """
            import java.net.URL;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.Executor;

            public class OwnTrust {
                public static void main(String[] args) throws Exception {
                    URL url = new URL(args[0]);
                    Executor ownThread = task -> {
                        Thread thread = new Thread(task);
                        thread.setDaemon(true);
                        thread.start();
                    };
                    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> get(url), ownThread);
                    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> get(url), ownThread);
                    System.out.println(first.get().equals(args[1]) ? "ok" : first.get());
                    System.out.println(second.get().equals(args[1]) ? "ok" : second.get());
                    System.out.print(get(url));
                }

                static String get(URL url) {
                    try (var in = url.openConnection().getInputStream()) {
                        return new String(in.readAllBytes());
                    } catch (Exception e) {
                        return "refused";
                    }
                }
            }
            """);

    /** java.net.http's HttpClient, which refuses a certificate by hanging up: twice in turn. */
    static final Program SILENT = new Program("Silent", """
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;

            public class Silent {
                public static void main(String[] args) throws Exception {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).build();
                    for (int i = 0; i < 2; i++) {
                        try {
                            System.out.print(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body());
                        } catch (java.io.IOException e) {
                            System.out.println("refused");
                        }
                    }
                }
            }
            """);

    private OwnTrustJvm() {}

    /** {@code program} run with {@code args}, trusting only {@code caFile}'s CA; its files go in {@code dir}. */
    static Httptap command(Path dir, Path caFile, Program program, String... args)
            throws IOException, GeneralSecurityException {
        Path source = dir.resolve(program.className() + ".java");
        Files.writeString(source, program.source());
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(trustOnly(dir, caFile));
        command.add(source.toString());
        command.addAll(List.of(args));
        return Httptap.command(command.toArray(String[]::new));
    }

    /** The JVM options that make {@code caFile}'s CA the only one trusted, through a trust store written in {@code dir}. */
    static List<String> trustOnly(Path dir, Path caFile) throws IOException, GeneralSecurityException {
        Path store = dir.resolve("own-trust.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("own-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, "changeit".toCharArray());
        }
        return List.of("-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=changeit");
    }
}
