package dev.httptap.e2e;

import static dev.httptap.e2e.ClientAssertions.assertClientRun;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A protocol upgrade end to end: a WebSocket client inside the tap (python3 with a raw socket: the
 * handshake, masked text and binary messages, a close) talks to an echo server the test starts on
 * 127.0.0.1. httptap prints the 101 exchange and then relays the WebSocket frames untouched, so each
 * message comes back exactly as sent.
 */
class WebSocketIT {
    /** The client: handshake, checks the accept value, sends and reads back two messages, then closes. */
    private static final String CLIENT = """
            import base64, hashlib, os, socket, struct, sys
            host, port = sys.argv[1], int(sys.argv[2])
            sock = socket.create_connection((host, port), timeout=20)
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall(("GET /chat HTTP/1.1\\r\\nHost: %s:%d\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                          "Sec-WebSocket-Key: %s\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n" % (host, port, key)).encode())
            def exactly(count):
                data = b""
                while len(data) < count:
                    chunk = sock.recv(count - len(data))
                    if not chunk:
                        sys.exit("connection closed early")
                    data += chunk
                return data
            head = b""
            while not head.endswith(b"\\r\\n\\r\\n"):
                head += exactly(1)
            expected = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
            print(head.split(b"\\r\\n")[0].decode())
            print("accept ok" if b"Sec-WebSocket-Accept: " + expected in head else "accept wrong")
            def send(opcode, payload):
                mask = os.urandom(4)
                length = len(payload)
                if length < 126:
                    header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
                elif length < 65536:
                    header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
                else:
                    header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
                sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            def receive():
                first, second = exactly(2)
                length = second & 0x7f
                if length == 126:
                    length = struct.unpack("!H", exactly(2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", exactly(8))[0]
                return first & 0x0f, exactly(length)
            send(1, b"hello websocket")
            opcode, payload = receive()
            print(opcode, payload.decode())
            blob = os.urandom(100000)
            send(2, blob)
            opcode, payload = receive()
            print(opcode, "binary echoed intact" if payload == blob else "binary changed")
            send(8, struct.pack("!H", 1000))
            opcode, payload = receive()
            print(opcode, struct.unpack("!H", payload)[0])
            sock.close()
            """;

    private WebSocketEchoServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = WebSocketEchoServer.start();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void theUpgradeIsPrintedAndTheWebSocketRoundTripsUntouched() {
        String port = String.valueOf(server.port());
        ProcessRun run = Httptap.command("python3", "-c", CLIENT, Httptap.HOST, port).run();
        String url = "http://" + Httptap.HOST + ":" + port + "/chat";
        assertClientRun(Route.TAPPED, run,
                "HTTP/1.1 101 Switching Protocols\naccept ok\n1 hello websocket\n2 binary echoed intact\n8 1000\n",
                new Exchange("GET", url, 101, 0));
    }

    @Test
    void theSameClientWorksWithoutHttptap() {
        ProcessRun run = RunningCommand.run(E2eSettings.runTimeout(),
                java.util.List.of("python3", "-c", CLIENT, "127.0.0.1", String.valueOf(server.port())));
        assertClientRun(Route.DIRECT, run,
                "HTTP/1.1 101 Switching Protocols\naccept ok\n1 hello websocket\n2 binary echoed intact\n8 1000\n");
    }
}
