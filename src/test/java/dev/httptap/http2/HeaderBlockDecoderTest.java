package dev.httptap.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.httptap.event.Headers;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HeaderBlockDecoderTest {
    private final HeaderBlockDecoder decoder = new HeaderBlockDecoder();

    @Test
    void decodesTheRequestsOfRfc7541AppendixC3WithTheDynamicTableInStep() throws Exception {
        // C.3.1 to C.3.3: three requests, each leaning on entries the previous ones added to the table.
        HeaderBlock first = decoder.decode(hex("828684410f7777772e6578616d706c652e636f6d"));
        assertEquals(HeaderBlock.request("GET", "http", "www.example.com", "/", Headers.EMPTY), first);

        HeaderBlock second = decoder.decode(hex("828684be58086e6f2d6361636865"));
        assertEquals(HeaderBlock.request("GET", "http", "www.example.com", "/",
                Headers.of("cache-control", "no-cache")), second);

        HeaderBlock third = decoder.decode(hex("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565"));
        assertEquals(HeaderBlock.request("GET", "https", "www.example.com", "/index.html",
                Headers.of("custom-key", "custom-value")), third);
    }

    @Test
    void decodesHuffmanCodedResponsesOfRfc7541AppendixC6() throws Exception {
        decoder.allowTableSize(256);
        HeaderBlock response = decoder.decode(hex("488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff"
                + "6e919d29ad171863c78f0b97c8e9ae82ae43d3"));
        assertEquals(HeaderBlock.response(302, Headers.of("cache-control", "private",
                "date", "Mon, 21 Oct 2013 20:13:21 GMT", "location", "https://www.example.com")), response);
    }

    @Test
    void thePathIsKeptAsSentWithItsEscapesAndDotSegments() throws Exception {
        // ":path: /a%20b/../c?q=1%202" as a literal with the indexed name :path (index 4).
        String path = "/a%20b/../c?q=1%202";
        HeaderBlock request = decoder.decode(hex("828604" + String.format("%02x", path.length())
                + HexFormat.of().formatHex(path.getBytes()) + "4108" + HexFormat.of().formatHex("x.test:8".getBytes())));
        assertEquals(HeaderBlock.request("GET", "http", "x.test:8", path, Headers.EMPTY), request);
    }

    @Test
    void aBlockWithoutPseudoHeadersIsTrailers() throws Exception {
        // literal without indexing, new name "grpc-status" = "0"
        HeaderBlock trailers = decoder.decode(hex("000b677270632d73746174757301" + "30"));
        assertEquals(HeaderBlock.trailers(Headers.of("grpc-status", "0")), trailers);
    }

    @Test
    void thePseudoHeaderFieldsAreShownFirstAndOnlyWhenSent() throws Exception {
        HeaderBlock request = decoder.decode(hex("828684410f7777772e6578616d706c652e636f6d"
                + "58086e6f2d6361636865")); // RFC 7541 C.3.1 plus "cache-control: no-cache"
        assertEquals(Headers.of(":method", "GET", ":scheme", "http", ":authority", "www.example.com", ":path", "/",
                "cache-control", "no-cache"), request.withPseudoHeaders());
        HeaderBlock connect = HeaderBlock.request("CONNECT", "", "proxy.test:443", "", Headers.of("x", "y"));
        assertEquals(Headers.of(":method", "CONNECT", ":authority", "proxy.test:443", "x", "y"),
                connect.withPseudoHeaders());
        assertEquals(Headers.of(":status", "204"), HeaderBlock.response(204, Headers.EMPTY).withPseudoHeaders());
        Headers trailers = Headers.of("grpc-status", "0");
        assertEquals(trailers, HeaderBlock.trailers(trailers).withPseudoHeaders());
    }

    @Test
    void aTableLargerThanTheBoundIsNotFollowed() throws Exception {
        decoder.allowTableSize(1L << 32);
        // A dynamic table size update to 512 KiB, then ":method: GET" so that the block is a (bad) request.
        assertThrows(HeaderBlockDecoder.MalformedStreamException.class, () -> decoder.decode(hex("3fe1ff1f82")));
        // A dynamic table size update (001xxxxx) to 2 MiB: 0x3f then 2097152 - 31 as an HPACK integer.
        assertThrows(Http2Exception.class, () -> decoder.decode(hex("3fe1ff7f")));
    }

    @Test
    void anIndexBeyondTheTablesIsAnHpackError() {
        assertThrows(Http2Exception.class, () -> decoder.decode(hex("ff00")));
    }

    static ByteBuffer hex(String digits) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(digits));
    }

    @Test
    void aBlockCutInsideAFieldSaysSo() {
        Http2Exception cut = assertThrows(Http2Exception.class, () -> decoder.decode(hex("8286400578")));
        assertEquals("HPACK: the header block ends inside a field", cut.getMessage());
    }
}
