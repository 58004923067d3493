package dev.httptap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal WebSocket echo server (RFC 6455) on 127.0.0.1 and an ephemeral port: the opening handshake,
 * then every data message is echoed unmasked, a ping gets its pong and a close its close. One thread per
 * connection; every read has a timeout, and messages are bounded.
 */
final class WebSocketEchoServer implements AutoCloseable {
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    private final ServerSocket listener;
    private final Thread acceptor;

    private WebSocketEchoServer(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = new Thread(this::acceptAll, "websocket-echo");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static WebSocketEchoServer start() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return new WebSocketEchoServer(listener);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread connection = new Thread(() -> serve(socket), "websocket-echo-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            Matcher key = KEY.matcher(readHead(in));
            if (!key.find()) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            echoFrames(in, out);
        } catch (IOException e) {
            // the client went away; nothing to clean up beyond the socket
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < MAX_HEAD_BYTES) {
            head.write(in.readUnsignedByte());
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("request head too long");
    }

    private static void echoFrames(DataInputStream in, OutputStream out) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            if (length > MAX_MESSAGE_BYTES) {
                throw new IOException("frame too long");
            }
            byte[] mask = new byte[4];
            if ((second & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            int opcode = first & 0x0f;
            writeFrame(out, opcode == OP_PING ? OP_PONG : opcode, payload);
            if (opcode == OP_CLOSE) {
                return;
            }
        }
    }

    /** One unfragmented, unmasked frame (servers never mask). */
    private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length <= 0xffff) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
