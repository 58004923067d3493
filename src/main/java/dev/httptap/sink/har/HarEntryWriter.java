package dev.httptap.sink.har;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.httptap.event.DecodedLength;
import dev.httptap.event.Exchange;
import dev.httptap.event.Header;
import dev.httptap.event.Headers;
import dev.httptap.event.Outcome;
import dev.httptap.event.ResponseHead;
import dev.httptap.event.Url;
import dev.httptap.sink.ExchangeTimes;

import dev.httptap.wire.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Writes one HAR 1.2 entry: an exchange, its kept bodies and its connection's id. */
final class HarEntryWriter {
    /** Form fields go in "params" only from a body of at most this many bytes. */
    private static final int MAX_FORM_BYTES = 1 << 20;

    private final JsonGenerator json;
    private final long bodyLimit;

    HarEntryWriter(JsonGenerator json, long bodyLimit) {
        this.json = json;
        this.bodyLimit = bodyLimit;
    }

    /**
     * {@code opening}: how its connection opened, if this is the connection's first exchange; the entry then
     * starts that long before the request head. {@code nowNanos} stands in for the end of an exchange still
     * running when the HAR is closed.
     */
    void write(Exchange exchange, BodyRecorder requestBody, BodyRecorder responseBody, String connectionId,
            ConnectionTimings.Opening opening, long nowNanos) throws IOException {
        ExchangeTimes times = ExchangeTimes.of(exchange, nowNanos);
        long connect = opening.harConnect();
        json.writeStartObject();
        json.writeStringField("startedDateTime", ExchangeTimes.isoMillis(exchange.startEpochMillis() - Math.max(0, connect)));
        json.writeNumberField("time", times.total() + Math.max(0, connect)); // ssl is inside connect
        writeRequest(exchange, requestBody);
        writeResponse(exchange, responseBody);
        json.writeObjectFieldStart("cache");
        json.writeEndObject();
        json.writeObjectFieldStart("timings");
        json.writeNumberField("blocked", -1);
        json.writeNumberField("dns", -1); // the lookup is the child's own, not tied to this connection
        json.writeNumberField("connect", connect);
        json.writeNumberField("ssl", opening.sslMillis());
        json.writeNumberField("send", times.sendMillis());
        json.writeNumberField("wait", times.waitMillis());
        json.writeNumberField("receive", times.receiveMillis());
        json.writeEndObject();
        json.writeStringField("serverIPAddress", serverAddress(exchange));
        json.writeStringField("connection", connectionId);
        String comment = comment(exchange);
        if (!comment.isEmpty()) {
            json.writeStringField("comment", comment);
        }
        json.writeEndObject();
    }

    private void writeRequest(Exchange exchange, BodyRecorder body) throws IOException {
        Headers headers = exchange.request().headers();
        json.writeObjectFieldStart("request");
        json.writeStringField("method", exchange.request().method());
        json.writeStringField("url", exchange.url());
        json.writeStringField("httpVersion", exchange.request().version());
        json.writeArrayFieldStart("cookies");
        for (String header : headers.all("Cookie")) {
            for (Cookie cookie : Cookie.fromCookieHeader(header)) {
                writeCookie(cookie);
            }
        }
        json.writeEndArray();
        writeHeaders(headers);
        json.writeArrayFieldStart("queryString");
        for (String[] parameter : FormParams.urlEncoded(Url.parse(exchange.url()).query())) {
            json.writeStartObject();
            json.writeStringField("name", parameter[0]);
            json.writeStringField("value", parameter[1]);
            json.writeEndObject();
        }
        json.writeEndArray();
        if (body.totalBytes() > 0) {
            String mimeType = headers.first("Content-Type").orElse("application/octet-stream");
            BodyView view = BodyView.of(body, mimeType, headers.all("Content-Encoding"), OptionalLong.empty(),
                    Optional.empty(), bodyLimit);
            json.writeObjectFieldStart("postData");
            json.writeStringField("mimeType", mimeType);
            writeParams(formParams(mimeType, view));
            writeBody(view);
            json.writeEndObject();
        }
        json.writeNumberField("headersSize", -1);
        json.writeNumberField("bodySize", body.totalBytes());
        json.writeEndObject();
    }

    private void writeResponse(Exchange exchange, BodyRecorder body) throws IOException {
        ResponseHead head = exchange.response().orElse(null);
        Headers headers = head == null ? Headers.EMPTY : head.headers();
        json.writeObjectFieldStart("response");
        json.writeNumberField("status", head == null ? 0 : head.status());
        json.writeStringField("statusText", head == null ? "" : head.reason());
        json.writeStringField("httpVersion", head == null ? "" : head.version());
        json.writeArrayFieldStart("cookies");
        for (String header : headers.all("Set-Cookie")) {
            Cookie cookie = Cookie.fromSetCookie(header);
            if (cookie != null) {
                writeCookie(cookie);
            }
        }
        json.writeEndArray();
        writeHeaders(headers);
        String mimeType = headers.first("Content-Type").orElse("");
        Optional<DecodedLength> decoded = exchange.decodedResponseLength();
        OptionalLong decodedBytes = decoded.filter(DecodedLength::isKnown)
                .map(length -> OptionalLong.of(length.bytes())).orElse(OptionalLong.empty());
        BodyView view = BodyView.of(body, mimeType, headers.all("Content-Encoding"), decodedBytes,
                decoded.flatMap(DecodedLength::problem), bodyLimit);
        json.writeObjectFieldStart("content");
        json.writeNumberField("size", view.size());
        if (decodedBytes.isPresent() || view.decodedFrom() != null) {
            json.writeNumberField("compression", view.size() - body.totalBytes()); // HAR 1.2: bytes saved
        }
        json.writeStringField("mimeType", mimeType);
        writeBody(view);
        json.writeEndObject();
        json.writeStringField("redirectURL", headers.first("Location").orElse(""));
        json.writeNumberField("headersSize", -1);
        json.writeNumberField("bodySize", head == null ? -1 : body.totalBytes());
        json.writeEndObject();
    }

    /** The fields of a form kept whole and small (it is read into memory); none for anything else. */
    private static List<FormParams.Param> formParams(String mimeType, BodyView view) throws IOException {
        if (!FormParams.isForm(mimeType) || view.shownBytes() != view.size() || view.size() > MAX_FORM_BYTES) {
            return List.of();
        }
        try (InputStream bytes = new BoundedInputStream(view.open(), view.shownBytes())) {
            return FormParams.of(mimeType, bytes.readAllBytes());
        }
    }

    private void writeParams(List<FormParams.Param> params) throws IOException {
        json.writeArrayFieldStart("params");
        for (FormParams.Param param : params) {
            json.writeStartObject();
            json.writeStringField("name", param.name());
            optional("value", param.value());
            optional("fileName", param.fileName());
            optional("contentType", param.contentType());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The text field, streamed from the temporary file; base64 with an "encoding" when not text. */
    private void writeBody(BodyView view) throws IOException {
        if (view.shownBytes() > 0) {
            json.writeFieldName("text");
            if (view.charset() != null) {
                try (Reader text = view.openText()) {
                    json.writeString(text, -1);
                }
            } else {
                try (InputStream bytes = new BoundedInputStream(view.open(), view.shownBytes())) {
                    json.writeBinary(bytes, (int) view.shownBytes());
                }
                json.writeStringField("encoding", "base64");
            }
        }
        if (view.comment() != null) {
            json.writeStringField("comment", view.comment());
        }
    }

    private void writeHeaders(Headers headers) throws IOException {
        json.writeArrayFieldStart("headers");
        for (Header header : headers) {
            json.writeStartObject();
            json.writeStringField("name", header.name());
            json.writeStringField("value", header.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void writeCookie(Cookie cookie) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", cookie.name());
        json.writeStringField("value", cookie.value());
        optional("path", cookie.path());
        optional("domain", cookie.domain());
        optional("expires", cookie.expires());
        if (cookie.httpOnly()) {
            json.writeBooleanField("httpOnly", true);
        }
        if (cookie.secure()) {
            json.writeBooleanField("secure", true);
        }
        json.writeEndObject();
    }

    private void optional(String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    /** The address dialled, IPv6 in its short form (RFC 5952) as in the URLs, without brackets or scope. */
    private static String serverAddress(Exchange exchange) {
        InetSocketAddress upstream = exchange.connection().upstream();
        InetAddress address = upstream != null && upstream.getAddress() != null
                ? upstream.getAddress() : exchange.connection().flow().server().getAddress();
        return IpAddress.of(address).toString();
    }

    /** How the exchange ended, why it was not followed, and what its record cut or guessed; empty when all is well. */
    private static String comment(Exchange exchange) {
        List<String> parts = new ArrayList<>();
        String outcome = outcomeComment(exchange.outcome());
        if (outcome != null) {
            parts.add(outcome + exchange.notFollowedReason().map(reason -> " (" + reason + ")").orElse(""));
        }
        parts.addAll(exchange.notes());
        return String.join("; ", parts);
    }

    private static String outcomeComment(Outcome outcome) {
        return switch (outcome) {
            case COMPLETE -> null;
            case PENDING -> "still in progress when the HAR was closed";
            case NO_RESPONSE -> "the server closed the connection without a response";
            case CLOSED_MID_RESPONSE -> "the server closed the connection in the middle of the response";
            case RESET -> "the connection was reset before the exchange completed";
            case UNPARSEABLE -> "the bytes stopped making sense as HTTP";
        };
    }
}
