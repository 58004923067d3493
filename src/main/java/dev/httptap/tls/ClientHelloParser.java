package dev.httptap.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a ClientHello from the first bytes a client sent (RFC 8446 sections 4.1.2 and 5.1, RFC 6066
 * section 3, RFC 7301 section 3.1): TLS records of type handshake, whose fragments join into one handshake
 * message, however the client split it over records and the network over segments. Pure: each call looks
 * at all the bytes so far, from the buffer's position, without moving it. The message may be at most
 * {@link #MAX_HELLO_BYTES} long, so what a caller holds while waiting is bounded.
 */
public final class ClientHelloParser {
    /** Generous for post-quantum key shares (a few KiB), small enough to hold per connection. */
    public static final int MAX_HELLO_BYTES = 64 * 1024;
    /** Record header plus the longest plaintext record (RFC 8446 section 5.1). */
    private static final int RECORD_HEADER_BYTES = 5;
    private static final int MAX_RECORD_BYTES = 1 << 14;
    private static final int CONTENT_HANDSHAKE = 22;
    private static final int HANDSHAKE_CLIENT_HELLO = 1;
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int EXTENSION_ALPN = 16;
    private static final int EXTENSION_SIGNATURE_ALGORITHMS = 13;
    private static final int EXTENSION_SUPPORTED_VERSIONS = 43;
    /** TLS 1.0 to 1.3 by their numbers (RFC 8446 appendix D) and JSSE names; SSL 3.0 is left out. */
    private static final Map<Integer, String> VERSIONS = Map.of(0x0301, "TLSv1", 0x0302, "TLSv1.1", 0x0303, "TLSv1.2",
            0x0304, "TLSv1.3");
    private static final int NAME_TYPE_HOST = 0;

    private ClientHelloParser() {}

    /** The verdict on the bytes so far. */
    public sealed interface Result {
        /** The bytes so far start a ClientHello that is not complete yet. */
        record NeedMore() implements Result {}

        /** A complete ClientHello, and how many bytes (whole records) it took. */
        record Hello(ClientHello hello, int length) implements Result {}

        /** Not a TLS ClientHello (or a broken one), with why. */
        record NotTls(String reason) implements Result {}
    }

    public static Result parse(ByteBuffer bytes) {
        ByteBuffer input = bytes.duplicate();
        ByteBuffer handshake = ByteBuffer.allocate(Math.min(input.remaining(), MAX_HELLO_BYTES + 4));
        int consumed = 0;
        while (true) {
            if (input.remaining() < RECORD_HEADER_BYTES) {
                return new Result.NeedMore();
            }
            int type = input.get(input.position()) & 0xff;
            int major = input.get(input.position() + 1) & 0xff;
            int length = input.getShort(input.position() + 3) & 0xffff;
            if (type != CONTENT_HANDSHAKE) {
                return new Result.NotTls(consumed == 0 ? "not a TLS handshake record"
                        : "a record of type " + type + " inside the ClientHello");
            }
            if (major != 3) {
                return new Result.NotTls("TLS record version " + major + "." + (input.get(input.position() + 2) & 0xff));
            }
            if (length == 0 || length > MAX_RECORD_BYTES) {
                return new Result.NotTls("a handshake record of " + length + " bytes");
            }
            if (input.remaining() < RECORD_HEADER_BYTES + length) {
                return new Result.NeedMore();
            }
            if (handshake.remaining() < length) {
                return new Result.NotTls("a ClientHello longer than " + MAX_HELLO_BYTES + " bytes");
            }
            input.position(input.position() + RECORD_HEADER_BYTES);
            handshake.put(handshake.position(), input, input.position(), length);
            handshake.position(handshake.position() + length);
            input.position(input.position() + length);
            consumed += RECORD_HEADER_BYTES + length;
            Result result = helloIn(handshake.duplicate().flip(), consumed);
            if (!(result instanceof Result.NeedMore)) {
                return result;
            }
        }
    }

    /** The handshake message gathered so far: complete, still short, or not a ClientHello. */
    private static Result helloIn(ByteBuffer handshake, int consumed) {
        if (handshake.remaining() < 4) {
            return new Result.NeedMore();
        }
        int type = handshake.get() & 0xff;
        int length = ((handshake.get() & 0xff) << 16) | ((handshake.get() & 0xff) << 8) | (handshake.get() & 0xff);
        if (type != HANDSHAKE_CLIENT_HELLO) {
            return new Result.NotTls("handshake message type " + type + ", not a ClientHello");
        }
        if (length > MAX_HELLO_BYTES) {
            return new Result.NotTls("a ClientHello of " + length + " bytes");
        }
        if (handshake.remaining() < length) {
            return new Result.NeedMore();
        }
        if (handshake.remaining() > length) {
            return new Result.NotTls("more handshake data after the ClientHello");
        }
        try {
            return new Result.Hello(body(handshake.slice(handshake.position(), length)), consumed);
        } catch (MalformedHello e) {
            return new Result.NotTls("malformed ClientHello: " + e.getMessage());
        }
    }

    private static ClientHello body(ByteBuffer body) throws MalformedHello {
        int legacyVersion = unsignedShort(body, "version");
        String random = HexFormat.of().formatHex(bytes(body, 32, "random"));
        vector(body, 1, "session id");
        List<Integer> suites = shorts(vector(body, 2, "cipher suites"), "cipher suite");
        vector(body, 1, "compression methods");
        Optional<String> serverName = Optional.empty();
        List<String> protocols = List.of();
        List<Integer> signatureSchemes = null;
        List<Integer> supportedVersions = null;
        if (body.hasRemaining()) { // a ClientHello may end before its extensions
            ByteBuffer extensions = vector(body, 2, "extensions");
            if (body.hasRemaining()) {
                throw new MalformedHello("bytes after the extensions");
            }
            while (extensions.hasRemaining()) {
                int type = unsignedShort(extensions, "extension type");
                ByteBuffer data = vector(extensions, 2, "extension " + type);
                if (type == EXTENSION_SERVER_NAME) {
                    serverName = serverName(data);
                } else if (type == EXTENSION_ALPN) {
                    protocols = protocols(data);
                } else if (type == EXTENSION_SIGNATURE_ALGORITHMS) {
                    signatureSchemes = shorts(vector(data, 2, "signature algorithms"), "signature algorithm");
                } else if (type == EXTENSION_SUPPORTED_VERSIONS) {
                    supportedVersions = shorts(vector(data, 1, "supported versions"), "supported version");
                }
            }
        }
        return new ClientHello(serverName, protocols, random, versions(legacyVersion, supportedVersions),
                CipherOffer.leaf(suites, signatureSchemes, true), CipherOffer.leaf(suites, signatureSchemes, false),
                CipherOffer.anySpoken(suites));
    }

    /**
     * The versions offered: those of supported_versions (TLS 1.3's way, RFC 8446 section 4.2.1), else every
     * version up to the legacy one, since such a client takes any the server chooses up to it.
     */
    private static List<String> versions(int legacyVersion, List<Integer> supportedVersions) {
        List<Integer> offered = supportedVersions != null ? supportedVersions
                : VERSIONS.keySet().stream().filter(version -> version <= legacyVersion).sorted().toList();
        return offered.stream().filter(VERSIONS::containsKey).map(VERSIONS::get).distinct().toList();
    }

    private static Optional<String> serverName(ByteBuffer extension) throws MalformedHello {
        ByteBuffer list = vector(extension, 2, "server name list");
        while (list.hasRemaining()) {
            int nameType = list.get() & 0xff;
            ByteBuffer name = vector(list, 2, "server name");
            if (nameType == NAME_TYPE_HOST) {
                String host = StandardCharsets.US_ASCII.decode(name).toString();
                // The name of the root's zone ends in a dot ("host.example."): the same host, named as
                // certificates and SNI name it (RFC 6066 section 3), as browsers and curl send it.
                if (host.endsWith(".")) {
                    host = host.substring(0, host.length() - 1);
                }
                if (host.isEmpty() || !host.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                    throw new MalformedHello("a server name that is not a host name");
                }
                return Optional.of(host);
            }
        }
        return Optional.empty();
    }

    private static List<String> protocols(ByteBuffer extension) throws MalformedHello {
        ByteBuffer list = vector(extension, 2, "protocol name list");
        List<String> protocols = new ArrayList<>();
        while (list.hasRemaining()) {
            ByteBuffer name = vector(list, 1, "protocol name");
            protocols.add(StandardCharsets.ISO_8859_1.decode(name).toString());
        }
        return protocols;
    }

    /** A length-prefixed vector: its bytes as a slice, the buffer moved past it. */
    private static ByteBuffer vector(ByteBuffer in, int lengthBytes, String what) throws MalformedHello {
        if (in.remaining() < lengthBytes) {
            throw new MalformedHello(what + " cut short");
        }
        int length = lengthBytes == 1 ? in.get() & 0xff : in.getShort() & 0xffff;
        if (in.remaining() < length) {
            throw new MalformedHello(what + " cut short");
        }
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        return slice;
    }

    /** A vector's two-byte values (cipher suites, signature schemes). */
    private static List<Integer> shorts(ByteBuffer vector, String what) throws MalformedHello {
        List<Integer> values = new ArrayList<>(vector.remaining() / 2);
        while (vector.hasRemaining()) {
            values.add(unsignedShort(vector, what));
        }
        return values;
    }

    private static int unsignedShort(ByteBuffer in, String what) throws MalformedHello {
        if (in.remaining() < 2) {
            throw new MalformedHello(what + " cut short");
        }
        return in.getShort() & 0xffff;
    }

    private static void skip(ByteBuffer in, int count, String what) throws MalformedHello {
        if (in.remaining() < count) {
            throw new MalformedHello(what + " cut short");
        }
        in.position(in.position() + count);
    }

    /** The next {@code count} bytes, the buffer moved past them. */
    private static byte[] bytes(ByteBuffer in, int count, String what) throws MalformedHello {
        if (in.remaining() < count) {
            throw new MalformedHello(what + " cut short");
        }
        byte[] bytes = new byte[count];
        in.get(bytes);
        return bytes;
    }

    private static final class MalformedHello extends Exception {
        MalformedHello(String message) {
            super(message, null, false, false);
        }
    }
}
