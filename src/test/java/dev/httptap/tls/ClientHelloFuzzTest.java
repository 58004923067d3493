package dev.httptap.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.httptap.tls.ClientHelloParser.Result;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ClientHello parser on arbitrary bytes, and on hellos built from fuzzed names split over fuzzed records.
 * Beyond "no exception": a verdict never changes as more bytes arrive (the TLS gate waits on NeedMore), and
 * what was built is read back.
 */
class ClientHelloFuzzTest {
    @FuzzTest
    void clientHello(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            builtHelloReadsBack(data);
            return;
        }
        int cut = data.consumeInt(0, 1 << 17);
        byte[] bytes = data.consumeRemainingAsBytes();
        Result whole = ClientHelloParser.parse(ByteBuffer.wrap(bytes));
        Result prefix = ClientHelloParser.parse(ByteBuffer.wrap(bytes, 0, Math.min(cut, bytes.length)));
        if (whole instanceof Result.Hello hello) {
            assertTrue(hello.length() <= bytes.length, "a hello within the bytes");
            hello.hello().serverName().ifPresent(name ->
                    assertTrue(name.chars().allMatch(c -> c > ' ' && c < 0x7f), "server name printable: " + name));
            if (cut >= hello.length()) {
                assertEquals(whole, prefix, "the verdict once the hello is complete");
            } else {
                assertInstanceOf(Result.NeedMore.class, prefix, "a prefix of a hello");
            }
        } else if (whole instanceof Result.NeedMore) {
            assertInstanceOf(Result.NeedMore.class, prefix, "a prefix of an incomplete hello");
        } else {
            assertTrue(!(prefix instanceof Result.Hello), "a prefix of a refused hello was accepted");
        }
    }

    private static void builtHelloReadsBack(FuzzedDataProvider data) {
        String name = printable(data.consumeString(300));
        List<String> protocols = new ArrayList<>();
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
            String protocol = data.consumeString(20);
            byte[] encoded = protocol.getBytes(StandardCharsets.ISO_8859_1);
            if (encoded.length > 0) {
                protocols.add(new String(encoded, StandardCharsets.ISO_8859_1));
            }
        }
        if (name.equals(".")) {
            return; // the root zone alone names no host: refused as malformed, checked by ClientHelloParserTest
        }
        byte[] handshake = handshake(name, protocols);
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        int offset = 0;
        while (offset < handshake.length) {
            int length = Math.min(handshake.length - offset, data.consumeInt(1, 1 << 14));
            records.write(new byte[] {22, 3, 1, (byte) (length >> 8), (byte) length}, 0, 5);
            records.write(handshake, offset, length);
            offset += length;
        }
        Result result = ClientHelloParser.parse(ByteBuffer.wrap(records.toByteArray()));
        Result.Hello hello = assertInstanceOf(Result.Hello.class, result);
        assertEquals(records.size(), hello.length());
        // A trailing dot names the same host (the root zone's): read without it.
        String expected = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        assertEquals(name.isEmpty() ? Optional.empty() : Optional.of(expected), hello.hello().serverName());
        assertEquals(protocols, hello.hello().applicationProtocols());
    }

    private static String printable(String text) {
        StringBuilder name = new StringBuilder();
        text.chars().filter(c -> c > ' ' && c < 0x7f).forEach(c -> name.append((char) c));
        return name.toString();
    }

    /** A ClientHello handshake message with SNI (when not empty) and ALPN (when any). */
    private static byte[] handshake(String name, List<String> protocols) {
        ByteBuffer extensions = ByteBuffer.allocate(1024);
        if (!name.isEmpty()) {
            byte[] host = name.getBytes(StandardCharsets.US_ASCII);
            extensions.putShort((short) 0).putShort((short) (host.length + 5)).putShort((short) (host.length + 3))
                    .put((byte) 0).putShort((short) host.length).put(host);
        }
        if (!protocols.isEmpty()) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String protocol : protocols) {
                byte[] bytes = protocol.getBytes(StandardCharsets.ISO_8859_1);
                list.write(bytes.length);
                list.write(bytes, 0, bytes.length);
            }
            extensions.putShort((short) 16).putShort((short) (list.size() + 2)).putShort((short) list.size())
                    .put(list.toByteArray());
        }
        extensions.flip();
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 4 + 2 + 2 + extensions.remaining());
        body.putShort((short) 0x0303).put(new byte[32]).put((byte) 0)
                .putShort((short) 2).putShort((short) 0x1301).put((byte) 1).put((byte) 0)
                .putShort((short) extensions.remaining()).put(extensions);
        ByteBuffer message = ByteBuffer.allocate(4 + body.capacity());
        message.put((byte) 1).put((byte) 0).putShort((short) body.capacity()).put(body.array());
        return message.array();
    }
}
