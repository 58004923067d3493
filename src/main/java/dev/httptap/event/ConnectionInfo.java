package dev.httptap.event;

import dev.httptap.stack.FlowId;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The connection an exchange travelled on: the flow as the child saw it, the address actually dialled
 * (after host-alias mapping), and the URL scheme ("http", later "https").
 */
public record ConnectionInfo(FlowId flow, InetSocketAddress upstream, String scheme) {
    /** Where the child was sending to, as "ip:port" or "[v6]:port", for URLs of requests without a Host. */
    public String destination() {
        InetSocketAddress server = flow.server();
        InetAddress address = server.getAddress();
        String host = address instanceof Inet6Address ? "[" + compressed(address.getAddress()) + "]"
                : address.getHostAddress();
        return host + ":" + server.getPort();
    }

    /** RFC 5952 text: lower-case groups without leading zeros, the longest run of 2+ zero groups as "::". */
    private static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
