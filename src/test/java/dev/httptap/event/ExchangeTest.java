package dev.httptap.event;

import dev.httptap.stack.FlowId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeTest {
    private static Exchange exchange(String server, String method, String target, Headers headers) {
        FlowId flow = new FlowId(new InetSocketAddress("10.1.1.100", 40000), new InetSocketAddress(server, 8080));
        ConnectionInfo connection = new ConnectionInfo(flow, new InetSocketAddress("127.0.0.1", 8080), "http");
        return new Exchange(connection, new RequestHead(method, target, "HTTP/1.1", headers), 0, 0);
    }

    @Test
    void urlUsesTheHostHeader() {
        assertEquals("http://host.httptap.local:8000/path?q=1",
                exchange("169.254.77.65", "GET", "/path?q=1", Headers.of("host", "host.httptap.local:8000")).url());
    }

    @Test
    void urlFallsBackToTheDestinationWithoutAHost() {
        assertEquals("http://169.254.77.65:8080/x", exchange("169.254.77.65", "GET", "/x", Headers.EMPTY).url());
        assertEquals("http://[2001:db8::1]:8080/x", exchange("2001:db8::1", "GET", "/x", Headers.of("Host", "")).url());
        assertEquals("http://[::1]:8080/x", exchange("::1", "GET", "/x", Headers.EMPTY).url());
        assertEquals("http://[fe80::1:0:0:2]:8080/x", exchange("fe80:0:0:0:1:0:0:2", "GET", "/x", Headers.EMPTY).url());
        assertEquals("http://[1:0:2::]:8080/x", exchange("1:0:2:0:0:0:0:0", "GET", "/x", Headers.EMPTY).url());
    }

    @Test
    void absoluteFormConnectAndAsteriskTargets() {
        Headers host = Headers.of("Host", "h");
        assertEquals("http://other/y", exchange("10.0.0.1", "GET", "http://other/y", host).url());
        assertEquals("HTTPS://other/y", exchange("10.0.0.1", "GET", "HTTPS://other/y", host).url());
        assertEquals("http://h:443", exchange("10.0.0.1", "CONNECT", "h:443", host).url());
        assertEquals("http://h:8080/*", exchange("10.0.0.1", "OPTIONS", "*", host).url());
    }

    @Test
    void urlAsTheUserTypedIt() {
        assertEquals("http://name:8080/", exchange("10.0.0.1", "GET", "/", Headers.of("Host", "name")).url(),
                "the connection's port, which Host left out");
        assertEquals("http://name/", exchange("10.0.0.1", "GET", "/", Headers.of("Host", "name:80")).url(),
                "the default port, written out, dropped");
        assertEquals("http://[fd77:6874:7470::a9fe:4d41]:8080/", exchange("10.0.0.1", "GET", "/",
                Headers.of("Host", "[FD77:6874:7470:0:0:0:A9FE:4D41]")).url());
        assertEquals("http://name/y", exchange("10.0.0.1", "GET", "http://name:80/y", Headers.EMPTY).url(),
                "an absolute-form target's default port dropped, the connection's (a proxy's) never added");
        assertEquals("http://name/y", exchange("10.0.0.1", "GET", "http://name/y", Headers.EMPTY).url());
    }

    @Test
    void finishingHappensOnce() {
        Exchange exchange = exchange("10.0.0.1", "GET", "/", Headers.EMPTY);
        assertEquals(Outcome.PENDING, exchange.outcome());
        assertTrue(exchange.finish(Outcome.RESET, 9));
        assertFalse(exchange.finish(Outcome.COMPLETE, 10));
        assertEquals(Outcome.RESET, exchange.outcome());
        assertEquals(9, exchange.endNanos());
        assertTrue(exchange.outcome().isCutShort());
        assertThrows(IllegalArgumentException.class, () -> exchange.finish(Outcome.PENDING, 11));
    }

    @Test
    void listenersFanOutInOrderEachWithItsOwnBufferView() {
        StringBuilder heard = new StringBuilder();
        ExchangeListener reader = new ExchangeListener() {
            @Override
            public void onResponseBody(Exchange exchange, ByteBuffer data) {
                heard.append("first read ").append(data.remaining()).append(';');
                data.position(data.limit());
            }
        };
        ExchangeListener second = new ExchangeListener() {
            @Override
            public void onResponseBody(Exchange exchange, ByteBuffer data) {
                heard.append("second saw ").append(data.remaining()).append(';');
            }
        };
        ExchangeListeners.of(reader, second)
                .onResponseBody(exchange("10.0.0.1", "GET", "/", Headers.EMPTY), ByteBuffer.allocate(3));
        assertEquals("first read 3;second saw 3;", heard.toString());
        assertEquals(ExchangeListener.NONE, ExchangeListeners.of());
        assertEquals(reader, ExchangeListeners.of(reader));
    }
}
