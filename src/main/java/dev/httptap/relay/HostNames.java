package dev.httptap.relay;

import dev.httptap.dns.DnsFormatException;
import dev.httptap.dns.DnsRecord;
import dev.httptap.dns.DnsResponse;
import dev.httptap.dns.DnsType;
import dev.httptap.stack.FlowId;
import dev.httptap.wire.IpAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The names the child looked up, by the addresses the answers gave it, so that a connection to an address
 * can be named as the child named it: "host.httptap.local:8001" rather than "169.254.77.65:8001". Learns
 * from the DNS answers the relay sees; keeps the {@value #CAPACITY} most recent addresses.
 */
public final class HostNames implements DnsObserver {
    static final int CAPACITY = 4096;

    private final Map<String, String> namesByAddress = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    @Override
    public synchronized void onAnswer(FlowId flow, ByteBuffer answer) {
        DnsResponse response;
        try {
            response = DnsResponse.parse(answer);
        } catch (DnsFormatException e) {
            return; // the DNS printer, when on, says so; a name we cannot learn only means an address shown
        }
        if (response.questions().isEmpty()) {
            return;
        }
        String asked = response.questions().get(0).name();
        for (DnsRecord record : response.answers()) {
            if (record.type() == DnsType.A || record.type() == DnsType.AAAA) {
                namesByAddress.put(record.data(), asked); // the name asked, not a CNAME's target
            }
        }
    }

    /** "name:port" when the child looked the address up, else "address:port" ("[v6]:port"). */
    public String describe(InetSocketAddress destination) {
        return describe(name(destination.getAddress()), destination);
    }

    /** The name the child looked {@code address} up by, the latest if several. */
    public synchronized Optional<String> name(InetAddress address) {
        return Optional.ofNullable(namesByAddress.get(IpAddress.of(address).toString()));
    }

    /** "name:port" with a name, else "address:port" ("[v6]:port"). */
    static String describe(Optional<String> name, InetSocketAddress destination) {
        return name.map(known -> known + ":" + destination.getPort())
                .orElseGet(() -> IpAddress.of(destination.getAddress()).withPort(destination.getPort()));
    }
}
