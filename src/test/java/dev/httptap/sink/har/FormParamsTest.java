package dev.httptap.sink.har;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httptap.sink.har.FormParams.Param;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormParamsTest {
    @Test
    void urlEncodedPairsArePercentDecoded() {
        assertEquals(List.of(new Param("q", "a b", null, null), new Param("x", "1/2", null, null), new Param("flag", "", null, null),
                        new Param("é", "50% off", null, null)),
                FormParams.of("application/x-www-form-urlencoded; charset=UTF-8", bytes("q=a+b&x=1%2F2&&flag&%C3%A9=50%25 off")));
    }

    @Test
    void multipartHasTextValuesAndFileNames() {
        String body = "preamble\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                + "two\r\nlines\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"upload\"; filename=\"a;b.png\"\r\nContent-Type: image/png\r\n\r\n"
                + "\u0089PNG\r\n--XyZ\r\n"
                + "content-disposition: form-data; name=notes; filename=n.txt\r\n\r\n"
                + "text file\r\n--XyZ--\r\n";
        assertEquals(List.of(new Param("title", "two\r\nlines", null, null),
                        new Param("upload", null, "a;b.png", "image/png"),
                        new Param("notes", null, "n.txt", "application/octet-stream")),
                FormParams.of("multipart/form-data; boundary=\"XyZ\"", bytes(body)));
    }

    @Test
    void malformedOrOtherBodiesHaveNoParams() {
        String unclosed = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without an end";
        assertEquals(List.of(), FormParams.of("multipart/form-data; boundary=b", bytes(unclosed)));
        assertEquals(List.of(), FormParams.of("multipart/form-data", bytes("--b\r\n\r\n--b--")), "no boundary");
        String nameless = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--";
        assertEquals(List.of(), FormParams.of("multipart/form-data; boundary=b", bytes(nameless)));
        assertEquals(List.of(), FormParams.of("multipart/form-data; boundary=b", new byte[0]));
        assertEquals(List.of(), FormParams.of("application/json", bytes("{\"a\":1}")));
        assertEquals(List.of(), FormParams.of("", bytes("a=1")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
