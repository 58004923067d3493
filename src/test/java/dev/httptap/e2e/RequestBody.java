package dev.httptap.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a request as a stream that ends where the body ends (Content-Length or chunked framing),
 * so the connection stays aligned for the next request on it.
 */
final class RequestBody extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private long remainingInPiece;
    private boolean finished;

    private RequestBody(InputStream in, boolean chunked, long length) {
        this.in = in;
        this.chunked = chunked;
        this.remainingInPiece = length;
        this.finished = !chunked && length == 0;
    }

    static RequestBody open(RequestHead head, InputStream in) throws IOException {
        if (head.hasToken("transfer-encoding", "chunked")) {
            return new RequestBody(in, true, 0);
        }
        String length = head.header("content-length");
        if (length == null) {
            return new RequestBody(in, false, 0);
        }
        try {
            return new RequestBody(in, false, Long.parseLong(length));
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + length);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (finished) {
            return -1;
        }
        if (remainingInPiece == 0) {
            startNextChunk();
            if (finished) {
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remainingInPiece));
        if (n == -1) {
            throw new EOFException("client closed the connection inside a request body");
        }
        remainingInPiece -= n;
        if (remainingInPiece == 0 && !chunked) {
            finished = true;
        }
        if (remainingInPiece == 0 && chunked) {
            RequestHead.readLine(in); // the CRLF after the chunk data
        }
        return n;
    }

    /** Reads whatever the handler left unread. */
    void drain() throws IOException {
        byte[] scrap = new byte[8192];
        while (read(scrap, 0, scrap.length) != -1) {
            // discard
        }
    }

    private void startNextChunk() throws IOException {
        String sizeLine = RequestHead.readLine(in);
        if (sizeLine == null) {
            throw new EOFException("client closed the connection before a chunk header");
        }
        int extension = sizeLine.indexOf(';');
        String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
        try {
            remainingInPiece = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line: " + sizeLine);
        }
        if (remainingInPiece == 0) {
            skipTrailers();
            finished = true;
        }
    }

    private void skipTrailers() throws IOException {
        for (String line = RequestHead.readLine(in); line != null && !line.isEmpty(); line = RequestHead.readLine(in)) {
            // trailers carry nothing the fixture needs
        }
    }
}
