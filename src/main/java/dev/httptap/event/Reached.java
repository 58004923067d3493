package dev.httptap.event;

/**
 * Traffic the command exchanged with a destination the policy let through: one TCP connection when it
 * ends, or one UDP datagram. {@code destination} is named as in {@link Blocked}; {@code protocol} is "tcp"
 * or "udp"; bytes are payload bytes, {@code sent} from the command, {@code received} towards it.
 */
public record Reached(String destination, String protocol, long sent, long received) {}
