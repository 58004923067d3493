package dev.httptap.stack;

import dev.httptap.wire.Malformation;

/** Why a packet from the child was not (fully) processed; counted in {@link StackStats}. */
public enum DropReason {
    NOT_IP("not an IP packet"),
    TRUNCATED("truncated packet"),
    BAD_HEADER_LENGTH("bad IPv4 header length"),
    BAD_LENGTH("length field disagrees with the packet"),
    BAD_CHECKSUM("bad checksum"),
    BAD_TCP_DATA_OFFSET("bad TCP data offset"),
    BAD_TCP_OPTION("malformed TCP option"),
    BAD_EXTENSION_HEADER("malformed IPv6 extension header"),
    FRAGMENT("IP fragments are not reassembled"),
    UNKNOWN_PROTOCOL("unsupported IP protocol"),
    TCP_NO_CONNECTION("TCP segment for no connection (answered with RST)"),
    TCP_SYN_RETRANSMITTED("retransmitted SYN while the forwarder decides"),
    TCP_TOO_MANY_HALF_OPEN("SYN while too many connections are half-open (as a full listen backlog)"),
    TCP_PENDING_NOT_SYN("segment other than SYN before the handshake completed"),
    TCP_UNACCEPTABLE("TCP segment outside the receive window (answered with ACK)"),
    TCP_INVALID_RST("RST with an unacceptable sequence number"),
    TCP_BAD_ACK("ACK for data never sent"),
    TCP_NO_ACK("TCP segment without ACK"),
    TCP_REASSEMBLY_FULL("too many out-of-order gaps"),
    UDP_TOO_LARGE("UDP payload larger than the MTU allows"),
    UNSUPPORTED_ADDRESS("addresses that cannot be used on the wire (mixed versions, IPv4-mapped)"),
    ICMP_IGNORED("ICMP message other than echo request"),
    INTERNAL_ERROR("internal error while handling the packet");

    private final String description;

    DropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    static DropReason of(Malformation malformation) {
        return switch (malformation) {
            case TRUNCATED -> TRUNCATED;
            case BAD_VERSION -> NOT_IP;
            case BAD_HEADER_LENGTH -> BAD_HEADER_LENGTH;
            case BAD_TOTAL_LENGTH -> BAD_LENGTH;
            case BAD_CHECKSUM -> BAD_CHECKSUM;
            case BAD_DATA_OFFSET -> BAD_TCP_DATA_OFFSET;
            case BAD_OPTION -> BAD_TCP_OPTION;
            case BAD_EXTENSION_HEADER -> BAD_EXTENSION_HEADER;
        };
    }
}
