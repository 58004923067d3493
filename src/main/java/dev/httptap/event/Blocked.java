package dev.httptap.event;

/**
 * A destination the egress policy kept the command from reaching.
 *
 * @param destination "name:port" as the command named it (its TLS server name, else the name its DNS
 *     answer gave the address, else the address), or the name alone for a DNS query
 * @param protocol "tcp", "udp", "tls" (refused once its ClientHello named the server) or "dns"
 * @param rule what decided: the rule as written ("--deny *.example.com", "ci.policy:3 deny ...") or
 *     "no --allow matches"
 * @param refusal what the command was told, in words ("connection reset", "ICMP port unreachable",
 *     "TLS alert access_denied", "NXDOMAIN")
 */
public record Blocked(String destination, String protocol, String rule, String refusal) {}
