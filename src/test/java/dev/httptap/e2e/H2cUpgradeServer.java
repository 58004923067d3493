package dev.httptap.e2e;

import dev.httptap.http2.Http2Frames;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A server that takes up {@code Upgrade: h2c}, for {@link H2cUpgradeIT}: nothing installed does (node's
 * http2 module does not). It answers the HTTP/1.1 request with a 101 and then speaks HTTP/2: its SETTINGS,
 * the response to that request on stream 1, and a response to every later request stream. Requests are not
 * decoded; each body names its stream: "hello over h2c, stream N".
 */
final class H2cUpgradeServer implements TcpServerFixture.Handler {
    private static final int CLIENT_PREFACE_BYTES = 24;
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int HEADERS = 0x1;
    private static final int SETTINGS = 0x4;
    private static final int GOAWAY = 0x7;
    private static final int FLAG_ACK = 0x1;

    static String body(int stream) {
        return "hello over h2c, stream " + stream + "\n";
    }

    @Override
    public void handle(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        OutputStream out = socket.getOutputStream();
        if (!readHead(in).toLowerCase(Locale.ROOT).contains("\r\nupgrade: h2c\r\n")) {
            throw new IOException("the request did not ask for h2c");
        }
        Http2Frames frames = new Http2Frames();
        out.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.write(respond(frames.settings(), 1).take());
        out.flush();
        in.readFully(new byte[CLIENT_PREFACE_BYTES]);
        byte[] header = new byte[9];
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException e) {
                return;
            } catch (SocketException e) {
                // A client that exits with bytes still unread in its socket resets the connection instead of
                // closing it (seen once in 5 runs of Http2PolicyIT under the suite): that is its end too.
                if ("Connection reset".equals(e.getMessage())) {
                    return;
                }
                throw e;
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            int length = (fields.get() & 0xff) << 16 | (fields.get() & 0xff) << 8 | (fields.get() & 0xff);
            int type = fields.get();
            int flags = fields.get();
            int stream = fields.getInt() & 0x7fff_ffff;
            in.readFully(new byte[length]);
            if (type == GOAWAY) {
                return;
            }
            if (type == SETTINGS && (flags & FLAG_ACK) == 0) {
                out.write(frames.settingsAck().take());
            } else if (type == HEADERS && stream % 2 == 1) {
                out.write(respond(frames, stream).take());
            }
            out.flush();
        }
    }

    private static Http2Frames respond(Http2Frames frames, int stream) {
        return frames.response(stream, false, 200, "content-type", "text/plain").data(stream, true, body(stream));
    }

    private static String readHead(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            if (head.length() > MAX_HEAD_BYTES) {
                throw new IOException("a request head over " + MAX_HEAD_BYTES + " bytes");
            }
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }
}
