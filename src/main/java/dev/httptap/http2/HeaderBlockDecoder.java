package dev.httptap.http2;

import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackDecoder;
import org.eclipse.jetty.http2.hpack.HpackException;

/**
 * HPACK for one direction of a connection. Its dynamic table follows the peer's encoder, so every header
 * block of that direction must pass through here, in order, including those of streams not followed.
 */
final class HeaderBlockDecoder {
    /** Bound on one decoded header list, so that a hostile peer cannot make us hold much. */
    static final int MAX_HEADER_LIST_BYTES = 256 * 1024;
    /**
     * Bound on the dynamic table, whatever the peers agree (4 KiB by default, 64 KiB is common). Peers that
     * use more make the next block fail to decode, and the connection goes unobserved.
     */
    static final int MAX_TABLE_BYTES = 1024 * 1024;

    private final HpackDecoder decoder = new HpackDecoder(MAX_HEADER_LIST_BYTES, System::nanoTime);

    HeaderBlockDecoder() {
        decoder.setMaxHeaderListSize(MAX_HEADER_LIST_BYTES);
    }

    /** The table size the receiving peer allows (its SETTINGS_HEADER_TABLE_SIZE). */
    void allowTableSize(long bytes) {
        decoder.setMaxTableCapacity((int) Math.min(bytes, MAX_TABLE_BYTES));
    }

    /**
     * Decodes one complete header block.
     *
     * @throws MalformedStreamException when the block decoded but is not a valid message head (the table is
     *         still in step, so only this stream is lost)
     * @throws Http2Exception when the block cannot be decoded (the table is lost with it)
     */
    HeaderBlock decode(ByteBuffer block) throws MalformedStreamException, Http2Exception {
        MetaData metaData;
        try {
            metaData = decoder.decode(block);
        } catch (HpackException.StreamException e) {
            throw new MalformedStreamException(e.getMessage());
        } catch (HpackException.SessionException | RuntimeException e) {
            throw new Http2Exception("HPACK: " + (isCutShort(e) ? "the header block ends inside a field" : e.getMessage()));
        }
        Headers fields = fieldsOf(metaData);
        if (metaData instanceof MetaData.Request request) {
            HttpURI uri = request.getHttpURI();
            return HeaderBlock.request(request.getMethod(), orEmpty(uri.getScheme()), orEmpty(uri.getAuthority()),
                    orEmpty(uri.getPathQuery()), fields);
        }
        if (metaData instanceof MetaData.Response response) {
            return HeaderBlock.response(response.getStatus(), fields);
        }
        return HeaderBlock.trailers(fields);
    }

    private static Headers fieldsOf(MetaData metaData) {
        List<Header> fields = new ArrayList<>();
        for (HttpField field : metaData) {
            fields.add(new Header(field.getName(), field.getValue()));
        }
        return Headers.of(fields);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** A header block that decoded but does not make a valid request, response or trailers. */
    /** The decoder read past the block's end: it wraps the buffer's underflow, whose message is null. */
    private static boolean isCutShort(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BufferUnderflowException) {
                return true;
            }
        }
        return false;
    }

    static final class MalformedStreamException extends Exception {
        MalformedStreamException(String message) {
            super(message);
        }
    }
}
