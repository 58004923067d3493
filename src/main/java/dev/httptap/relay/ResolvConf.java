package dev.httptap.relay;

import dev.httptap.log.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code nameserver} lines of a resolv.conf, as the C library reads them: comments start with
 * {@code #} or {@code ;}, only the first three servers count. Only address literals are accepted, so
 * reading the file never triggers a name lookup.
 */
public final class ResolvConf {
    /** glibc's MAXNS: later nameserver lines are ignored by the C library, so by us too. */
    static final int MAX_SERVERS = 3;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private ResolvConf() {}

    /** The servers in the file, or an empty list if it cannot be read (with a verbose note). */
    public static List<InetAddress> nameservers(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            Log.verbose("cannot read %s: %s", file, e.getMessage());
            return List.of();
        }
    }

    /** The servers named in the text, in order, at most {@value #MAX_SERVERS}; bad lines are skipped. */
    public static List<InetAddress> parse(String text) {
        List<InetAddress> servers = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] words = line.strip().split("[ \t]+");
            if (words.length >= 2 && words[0].equals("nameserver") && servers.size() < MAX_SERVERS) {
                InetAddress address = literal(words[1]);
                if (address == null) {
                    Log.verbose("resolv.conf: ignoring nameserver %s (not an address)", words[1]);
                } else {
                    servers.add(address);
                }
            }
        }
        return List.copyOf(servers);
    }

    private static InetAddress literal(String word) {
        var ipv4 = IPV4.matcher(word);
        if (ipv4.matches()) {
            byte[] octets = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(ipv4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                octets[i] = (byte) octet;
            }
            return byAddress(octets);
        }
        if (IPV6.matcher(word).matches()) {
            try {
                return InetAddress.getByName(word); // a string with ':' is parsed as an IPv6 literal, never looked up
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static InetAddress byAddress(byte[] octets) {
        try {
            return InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four octets are always an address", e);
        }
    }
}
