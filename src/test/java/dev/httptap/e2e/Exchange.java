package dev.httptap.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One HTTP exchange as httptap must print it: a request line and a response line. */
record Exchange(String method, String url, int status, long bodyBytes) {

    /** An exchange whose response body is {@code body} (counted in UTF-8 bytes). */
    static Exchange withBody(String method, String url, int status, String body) {
        return new Exchange(method, url, status, body.getBytes(StandardCharsets.UTF_8).length);
    }

    List<String> lines() {
        return List.of("---> " + method + " " + url, "<--- " + status + " " + url + " (" + bodyBytes + " bytes)");
    }

    /** The lines for several exchanges printed one after the other. */
    static List<String> linesOf(List<Exchange> exchanges) {
        List<String> lines = new ArrayList<>();
        exchanges.forEach(exchange -> lines.addAll(exchange.lines()));
        return lines;
    }
}
