package dev.httptap.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestUrlTest {
    @Test
    void aHostWithoutThePortTheConnectionUsedGetsThatPort() {
        assertEquals("https://name:8443/x", RequestUrl.of("https", "name", 8443, "/x"), "wget2's Host: name");
        assertEquals("http://name:8080/x", RequestUrl.of("http", "name:", 8080, "/x"), "an empty port is none");
    }

    @Test
    void aHostWithoutPortOnTheDefaultPortStaysWithout() {
        assertEquals("https://name/x", RequestUrl.of("https", "name", 443, "/x"));
        assertEquals("http://name/x", RequestUrl.of("http", "name", 80, "/x"));
        assertEquals("http://name:443/x", RequestUrl.of("http", "name", 443, "/x"), "443 is not http's default");
    }

    @Test
    void aDefaultPortWrittenOutIsDropped() {
        assertEquals("https://name/x", RequestUrl.of("https", "name:443", 443, "/x"), "node http2's :authority");
        assertEquals("http://name/x", RequestUrl.of("http", "name:80", 80, "/x"));
        assertEquals("https://NAME/x", RequestUrl.of("HTTPS", "NAME:443", 443, "/x").replaceFirst("^HTTPS", "https"),
                "the scheme in any case; the name as written");
    }

    @Test
    void aPortWrittenOutIsKeptEvenWhenTheConnectionUsedAnother() {
        assertEquals("http://name:8000/x", RequestUrl.of("http", "name:8000", 18000, "/x"));
        assertEquals("https://name:80/x", RequestUrl.of("https", "name:80", 80, "/x"));
    }

    @Test
    void ipv6LiteralsAreBracketedAndCompressed() {
        assertEquals("https://[fd77:6874:7470::a9fe:4d41]:8443/",
                RequestUrl.of("https", "[fd77:6874:7470:0:0:0:a9fe:4d41]", 8443, "/"));
        assertEquals("https://[fd77:6874:7470::a9fe:4d41]:8443/",
                RequestUrl.of("https", "[FD77:6874:7470::A9FE:4D41]:8443", 443, "/"));
        assertEquals("https://[::1]/", RequestUrl.of("https", "[0:0:0:0:0:0:0:1]:443", 443, "/"));
        assertEquals("http://[::1]:8080/", RequestUrl.of("http", "::1", 8080, "/"), "brackets a bare literal");
        assertEquals("http://[::ffff:a00:1]:8080/", RequestUrl.of("http", "[::ffff:10.0.0.1]", 8080, "/"),
                "an IPv4-mapped one as the address printer writes it");
    }

    @Test
    void whatIsNotAUsableAuthorityIsShownAsWritten() {
        assertEquals("http://[not-v6]:1/", RequestUrl.of("http", "[not-v6]:1", 80, "/"));
        assertEquals("http://[::1/", RequestUrl.of("http", "[::1", 80, "/"));
        assertEquals("http://[::1]x/", RequestUrl.of("http", "[::1]x", 80, "/"));
        assertEquals("http://a:b:c/", RequestUrl.of("http", "a:b:c", 80, "/"));
        assertEquals("http://name:port/", RequestUrl.of("http", "name:port", 80, "/"));
    }

    @Test
    void targetsNotStartingWithASlashStillReadAsUrls() {
        assertEquals("http://name/*", RequestUrl.of("http", "name", 80, "*"));
    }

    @Test
    void anAbsoluteUrlKeepsItsOwnPortAndLosesOnlyADefaultOne() {
        assertEquals("http://name/y?q", RequestUrl.absolute("http://name:80/y?q"));
        assertEquals("http://name/y", RequestUrl.absolute("http://name/y"), "no port added: the connection may be a proxy's");
        assertEquals("https://u:p@[2001:db8::1]:8443/", RequestUrl.absolute("https://u:p@[2001:db8:0::1]:8443/"));
        assertEquals("https://name", RequestUrl.absolute("https://name:443"));
    }
}
