package dev.httptap.sink;

import dev.httptap.event.EgressListener;
import dev.httptap.event.Reached;
import java.util.Map;
import java.util.TreeMap;

/**
 * The destinations the command reached, for --audit, printed at exit as a --policy file that allows
 * exactly them, each with what went over it as a comment:
 * <pre>
 * # httptap --audit: the destinations reached; use as --policy FILE to allow only them
 * allow host.httptap.local:18123  # tcp: 2 connections, 160 bytes sent, 4829 received
 * allow 169.254.77.65:9999        # udp: 3 datagrams, 12 bytes sent, 12 received
 * </pre>
 * Named as the command named them (TLS server name, DNS answer, else address), in alphabetical order.
 * A name that is no pattern (odd bytes in a server name) is printed commented out, so the file still reads.
 */
public final class AuditReport implements EgressListener {
    private static final String PATTERN = "[A-Za-z0-9.\\-_:\\[\\]]+";

    /** Tallies by "destination protocol". */
    private final Map<String, Tally> reached = new TreeMap<>();

    @Override
    public synchronized void onReached(Reached traffic) {
        Tally tally = reached.computeIfAbsent(traffic.destination() + " " + traffic.protocol(),
                key -> new Tally(traffic.destination(), traffic.protocol()));
        tally.units += traffic.protocol().equals("udp") ? (traffic.sent() > 0 ? 1 : 0) : 1;
        tally.sent += traffic.sent();
        tally.received += traffic.received();
    }

    public synchronized String render() {
        StringBuilder text = new StringBuilder("# httptap --audit: the destinations reached; use as --policy FILE to allow only them\n");
        if (reached.isEmpty()) {
            return text.append("# (none)\n").toString();
        }
        int width = reached.values().stream().mapToInt(tally -> tally.destination.length()).max().orElse(0);
        for (Tally tally : reached.values()) {
            String rule = String.format("allow %-" + width + "s  # %s: %d %s, %d bytes sent, %d received%n",
                    tally.destination, tally.protocol, tally.units, units(tally), tally.sent, tally.received);
            text.append(tally.destination.matches(PATTERN) ? rule : "# " + rule.replaceAll("\\p{Cntrl}(?!$)", "?"));
        }
        return text.toString();
    }

    private static String units(Tally tally) {
        String unit = tally.protocol.equals("udp") ? "datagram" : "connection";
        return tally.units == 1 ? unit : unit + "s";
    }

    private static final class Tally {
        final String destination;
        final String protocol;
        long units;
        long sent;
        long received;

        Tally(String destination, String protocol) {
            this.destination = destination;
            this.protocol = protocol;
        }
    }
}
