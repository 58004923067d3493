package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.httptap.tls.ClientHelloParser.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Golden ClientHellos captured from curl 7.88 and openssl s_client 3.0 on this machine. */
class ClientHelloParserTest {
    static byte[] golden(String name) throws IOException {
        try (InputStream in = ClientHelloParserTest.class.getResourceAsStream(name)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }

    @Test
    void readsSniAndAlpnFromCurl() throws IOException {
        byte[] hello = golden("curl-client-hello.hex");
        Result result = ClientHelloParser.parse(ByteBuffer.wrap(hello));
        assertEquals(new Result.Hello(new ClientHello(Optional.of("example.test"), List.of("h2", "http/1.1"),
                HexFormat.of().formatHex(hello, 11, 43), List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"), LeafAlgorithm.EC, LeafAlgorithm.EC, true),
                hello.length), result);
    }

    @Test
    void readsSniAndAlpnFromOpenssl() throws IOException {
        byte[] hello = golden("openssl-client-hello.hex");
        Result result = ClientHelloParser.parse(ByteBuffer.wrap(hello));
        assertEquals(new Result.Hello(new ClientHello(Optional.of("files.example.test"), List.of("http/1.1"),
                HexFormat.of().formatHex(hello, 11, 43), List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"), LeafAlgorithm.EC, LeafAlgorithm.EC, true), hello.length), result);
    }

    @Test
    void everyPrefixNeedsMoreAndTheWholeDecides() throws IOException {
        byte[] hello = golden("curl-client-hello.hex");
        for (int cut = 0; cut < hello.length; cut++) {
            assertInstanceOf(Result.NeedMore.class, ClientHelloParser.parse(ByteBuffer.wrap(hello, 0, cut)), "cut at " + cut);
        }
    }

    @Test
    void aHelloSplitOverTwoRecordsAtEveryOffsetReadsTheSame() throws IOException {
        byte[] hello = golden("openssl-client-hello.hex");
        ClientHello expected = ((Result.Hello) ClientHelloParser.parse(ByteBuffer.wrap(hello))).hello();
        int body = hello.length - 5;
        for (int split = 1; split < body; split++) {
            ByteBuffer twoRecords = ByteBuffer.allocate(hello.length + 5);
            twoRecords.put(new byte[] {0x16, 0x03, 0x01}).putShort((short) split).put(hello, 5, split);
            twoRecords.put(new byte[] {0x16, 0x03, 0x01}).putShort((short) (body - split)).put(hello, 5 + split, body - split);
            Result result = ClientHelloParser.parse(twoRecords.flip());
            assertEquals(new Result.Hello(expected, hello.length + 5), result, "split at " + split);
        }
    }

    @Test
    void bytesAfterTheHelloAreNotPartOfIt() throws IOException {
        byte[] hello = golden("curl-client-hello.hex");
        ByteBuffer more = ByteBuffer.allocate(hello.length + 3).put(hello).put(new byte[] {0x14, 0x03, 0x03}).flip();
        assertEquals(hello.length, ((Result.Hello) ClientHelloParser.parse(more)).length());
    }

    @Test
    void plainTextAndGarbageAreNotTls() {
        assertInstanceOf(Result.NotTls.class, parse("GET / HTTP/1.1\r\n\r\n"));
        assertInstanceOf(Result.NotTls.class, ClientHelloParser.parse(ByteBuffer.wrap(new byte[] {0x16, 0x02, 0, 0, 1, 1})));
        assertInstanceOf(Result.NotTls.class, ClientHelloParser.parse(ByteBuffer.wrap(new byte[] {0x16, 0x03, 1, 0, 0})));
        // A handshake record holding a ServerHello, and one whose ClientHello lies about its lengths.
        assertInstanceOf(Result.NotTls.class, ClientHelloParser.parse(ByteBuffer.wrap(new byte[] {0x16, 3, 1, 0, 4, 2, 0, 0, 0})));
        assertInstanceOf(Result.NotTls.class, ClientHelloParser.parse(ByteBuffer.wrap(new byte[] {0x16, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3})));
    }

    @Test
    void garbageAfterAPlausibleHeaderNeverThrows() throws IOException {
        byte[] hello = golden("curl-client-hello.hex");
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] broken = hello.clone();
            for (int flips = 0; flips < 4; flips++) {
                broken[9 + random.nextInt(broken.length - 9)] = (byte) random.nextInt(256);
            }
            ClientHelloParser.parse(ByteBuffer.wrap(broken)); // any verdict, never an exception
        }
    }

    private static Result parse(String text) {
        return ClientHelloParser.parse(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
