"""A hostile command's packets: a seeded, bounded barrage of malformed and adversarial IP packets written
straight onto the tap's device through an AF_PACKET socket, so that no kernel check fixes them on the way.

usage: barrage.py DEVICE TCP_PORT SEED MAX_PACKETS MAX_SECONDS

TCP_PORT is a port where the test's server listens on the host, reached as 169.254.77.65. The script also
completes a handshake of its own, from a spoofed address, to attack an established connection's state.
Prints one summary line: "barrage sent N packets (handshake: yes|no)".
"""
import os
import random
import select
import socket
import struct
import sys
import time

DEVICE, SERVER_PORT, SEED, MAX_PACKETS, MAX_SECONDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), float(sys.argv[5])
HOST = socket.inet_aton("169.254.77.65")
GATEWAY = socket.inet_aton("10.1.1.1")
SELF = socket.inet_aton("10.1.1.100")
SPOOFED = socket.inet_aton("10.1.1.77")
HOST6 = socket.inet_pton(socket.AF_INET6, "fd77:6874:7470::1")
SELF6 = socket.inet_pton(socket.AF_INET6, "fd77:6874:7470::100")
ETH_P_IP, ETH_P_IPV6, ETH_P_ALL = 0x0800, 0x86DD, 0x0003

rng = random.Random(SEED)
device = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
device.bind((DEVICE, ETH_P_ALL))
deadline = time.monotonic() + MAX_SECONDS
sent = 0


def send(packet):
    global sent
    if sent >= MAX_PACKETS or time.monotonic() > deadline:
        return
    protocol = ETH_P_IPV6 if packet and packet[0] >> 4 == 6 else ETH_P_IP
    try:
        device.sendto(packet, (DEVICE, protocol))
        sent += 1
    except OSError:
        pass  # the device queue is full: the barrage is bounded, not guaranteed


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(payload, protocol, source=SELF, destination=HOST, ihl=5, total=None, flags_offset=0x4000, options=b"",
         good_checksum=True, version=4):
    total = 20 + len(options) + len(payload) if total is None else total
    header = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, total & 0xFFFF, rng.randrange(65536),
                         flags_offset, 64, protocol, 0, source, destination) + options
    value = checksum(header) if good_checksum else rng.randrange(65536)
    return header[:10] + struct.pack("!H", value) + header[12:] + payload


def tcp(source, destination, sport, dport, seq, ack, flags, window=65535, options=b"", payload=b"", offset=None,
        good_checksum=True, urgent=0):
    offset = (20 + len(options)) // 4 if offset is None else offset
    header = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, (offset & 0xF) << 4,
                         flags, window, 0, urgent) + options
    segment = header + payload
    pseudo = source + destination + struct.pack("!BBH", 0, 6, len(segment))
    value = checksum(pseudo + segment) if good_checksum else rng.randrange(65536)
    return segment[:16] + struct.pack("!H", value) + segment[18:]


def udp(source, destination, sport, dport, payload, length=None, good_checksum=True, protocol=17):
    length = 8 + len(payload) if length is None else length
    header = struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0)
    pseudo = source + destination + struct.pack("!BBH", 0, protocol, 8 + len(payload))
    value = (checksum(pseudo + header + payload) or 0xFFFF) if good_checksum else rng.randrange(1, 65536)
    return header[:6] + struct.pack("!H", value) + payload


def ipv6(payload, next_header, source=SELF6, destination=HOST6, length=None):
    length = len(payload) if length is None else length
    return struct.pack("!IHBB16s16s", 6 << 28, length & 0xFFFF, next_header, 64, source, destination) + payload


FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


def tcp4(sport, dport, seq, ack, flags, source=SELF, **fields):
    return ipv4(tcp(source, HOST, sport, dport, seq, ack, flags, **fields), 6, source=source)


def port():
    return rng.randrange(1024, 65536)


def lying_ipv4_headers():
    segment = tcp(SELF, HOST, port(), SERVER_PORT, rng.getrandbits(32), 0, SYN)
    send(bytes([0x45]))
    send(ipv4(segment, 6)[:rng.randrange(2, 20)])
    send(ipv4(segment, 6, ihl=rng.randrange(0, 5)))
    send(ipv4(segment, 6, ihl=15))
    send(ipv4(segment, 6, total=rng.randrange(60, 65536)))
    send(ipv4(segment, 6, total=rng.randrange(0, 20)))
    send(ipv4(segment, 6, good_checksum=False))
    send(ipv4(segment, 6, version=rng.choice([0, 5, 7, 15])))
    send(ipv4(segment, 6, options=bytes([7, 0, 0, 0])))  # a record-route option of length 0
    send(ipv4(segment, rng.choice([0, 2, 41, 50, 132, 253, 255])))


def lying_tcp_headers():
    sport = port()
    seq = rng.getrandbits(32)
    send(ipv4(tcp(SELF, HOST, sport, SERVER_PORT, seq, 0, SYN)[:rng.randrange(0, 20)], 6))
    send(tcp4(sport, SERVER_PORT, seq, 0, SYN, offset=rng.randrange(0, 5)))
    send(tcp4(sport, SERVER_PORT, seq, 0, SYN, offset=15))
    send(tcp4(sport, SERVER_PORT, seq, 0, SYN, good_checksum=False))
    send(tcp4(sport, SERVER_PORT, seq, 0, SYN | FIN))
    send(tcp4(sport, SERVER_PORT, seq, 0, SYN | RST))
    send(tcp4(sport, SERVER_PORT, seq, 0, 0xFF, payload=b"x" * 10, urgent=65535))
    send(tcp4(sport, SERVER_PORT, seq, 0, 0))
    send(tcp4(sport, SERVER_PORT, seq, rng.getrandbits(32), FIN | PSH | URG))


def absurd_options():
    shapes = [
        struct.pack("!BBH", 2, 4, rng.choice([0, 1, 7, 65535])),  # MSS 0, 1, tiny, huge
        bytes([3, 3, rng.choice([15, 255])]) + b"\1",  # window scale beyond 14
        bytes([2, 0]) + b"\1\1",  # an option of length 0
        bytes([2, 1]) + b"\1\1",  # an option of length 1
        bytes([8, 40]) + b"\0\0",  # a timestamp option longer than the header
        bytes([rng.randrange(9, 256), 2]) + b"\1\1",  # unknown kinds
        bytes([4, 2, 5, 10]) + bytes(8),  # SACK permitted, then a SACK block on a SYN
        bytes([1] * 39) + b"\3",  # NOPs, then a kind with no length byte
    ]
    for options in shapes:
        options += bytes(-len(options) % 4)
        send(tcp4(port(), SERVER_PORT, rng.getrandbits(32), 0, SYN, options=options[:40],
                  window=rng.choice([0, 1, 65535])))


def rst_storm():
    for _ in range(20):
        send(tcp4(port(), rng.choice([SERVER_PORT, port()]), rng.getrandbits(32), rng.getrandbits(32),
                  rng.choice([RST, RST | ACK])))


def fragments():
    segment = tcp(SELF, HOST, port(), SERVER_PORT, rng.getrandbits(32), 0, SYN) + bytes(64)
    send(ipv4(segment[:8], 6, flags_offset=0x2000))  # first piece, more to come (never)
    send(ipv4(segment[8:], 6, flags_offset=1))  # a middle piece alone
    send(ipv4(segment, 6, flags_offset=0x2000 | 0x1FFF))  # an offset at the very end of 64 KiB
    send(ipv4(segment[:16], 6, flags_offset=0x2000))  # overlapping pieces
    send(ipv4(segment[:24], 6, flags_offset=0x2001))
    send(ipv4(udp(SELF, GATEWAY, port(), 53, bytes(40)), 17, destination=GATEWAY, flags_offset=0x2000))


def ipv6_extension_chains():
    segment = tcp(SELF6, HOST6, port(), SERVER_PORT, rng.getrandbits(32), 0, SYN)
    options = lambda following: bytes([following, 0]) + bytes([1, 4, 0, 0, 0, 0])  # PadN: 8 bytes
    chain = options(6)
    for _ in range(rng.randrange(1, 200)):
        chain = options(60) + chain
    send(ipv6(chain, 0))  # hop-by-hop, then a long chain of destination options
    send(ipv6(bytes([60, 255]) + bytes(6), 0))  # a header longer than the packet
    send(ipv6(bytes([43, 0, 0, 255]) + bytes(4) + segment, 43))  # routing header, segments left 255
    send(ipv6(bytes([6, 0, 0, 1, 0, 0, 0, 1]) + segment, 44))  # a fragment, more to come
    send(ipv6(bytes([6, 0, 0, 0, 0, 0, 0, 1]) + segment, 44))  # an atomic fragment: a whole segment
    send(ipv6(bytes([59, 0]) + bytes(6), 60))  # no next header
    send(ipv6(segment, 6, length=rng.randrange(len(segment) + 1, 65536)))  # lying payload length
    send(ipv6(segment, 6)[:rng.randrange(1, 40)])  # truncated fixed header
    send(ipv6(segment, 6, destination=socket.inet_pton(socket.AF_INET6, "::1")))
    send(ipv6(bytes([58, 0]) + bytes(6) + bytes([128, 0, 0, 0]) + bytes(8), 0))  # echo with a bad checksum


def dns_query(question):
    return struct.pack("!HHHHHH", rng.randrange(65536), 0x0100, 1, 0, 0, 0) + question


def malformed_dns():
    loop = struct.pack("!HHHHHH", 1, 0x0100, 1, 0, 0, 0) + bytes([0xC0, 12]) + b"\0\1\0\1"  # points at itself
    shapes = [
        b"", b"\0", bytes(11), loop,
        struct.pack("!HHHHHH", 2, 0x0100, 65535, 65535, 65535, 65535),  # counts with nothing behind them
        dns_query(bytes([63]) + b"a" * 63 + bytes([200]) + b"b" * 10),  # a label past the end
        dns_query(bytes([0x80]) + b"\0\0\1\0\1"),  # a reserved label type
        dns_query((bytes([63]) + b"c" * 63) * 5 + b"\0\0\1\0\1"),  # a name over 255 bytes
        dns_query(b"\7example\3com\0\xff\xff\0\1"),  # an unknown type
        bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 600))),
    ]
    for payload in shapes:
        send(ipv4(udp(SELF, GATEWAY, port(), 53, payload), 17, destination=GATEWAY))
    send(ipv4(udp(SELF, GATEWAY, port(), 53, loop, length=4), 17, destination=GATEWAY))  # UDP length too short
    send(ipv4(udp(SELF, GATEWAY, port(), 53, loop, length=4000), 17, destination=GATEWAY))
    send(ipv4(udp(SELF, GATEWAY, port(), 53, loop, good_checksum=False), 17, destination=GATEWAY))
    # to the host, straight past the gateway's resolver: the UDP relay sees the bytes
    send(ipv4(udp(SELF, HOST, port(), SERVER_PORT, dns_query(b"")), 17))


def icmp_shapes():
    send(ipv4(bytes([8, 0]), 1))  # truncated echo
    send(ipv4(bytes([8, 0, 0, 0]) + bytes(8), 1))  # bad checksum
    send(ipv4(bytes([rng.randrange(256), rng.randrange(256)]) + bytes(20), 1, destination=GATEWAY))
    send(ipv4(bytes([3, 3, 0, 0, 0, 0, 0, 0]) + ipv4(b"", 6)[:10], 1))  # an error quoting a cut header


def random_bytes():
    for _ in range(4):
        noise = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 1500)))
        send(noise)
        send(bytes([0x45]) + noise)
        send(bytes([0x60]) + noise)


def established_connection_attack():
    """A handshake from a spoofed neighbour address (so that this kernel never answers the tap's SYN-ACK with
    RST), then segments a live connection must survive: out of window, acknowledging unsent data, RST and
    SYN with wrong numbers, absurd windows; then real data. True if the handshake completed."""
    sport, isn = port(), rng.getrandbits(32)
    send(tcp4(sport, SERVER_PORT, isn, 0, SYN, source=SPOOFED, options=struct.pack("!BBH", 2, 4, 1460)))
    server_isn = await_syn_ack(sport)
    if server_isn is None:
        return False
    seq, ack = isn + 1, server_isn + 1
    send(tcp4(sport, SERVER_PORT, seq, ack, ACK, source=SPOOFED))
    send(tcp4(sport, SERVER_PORT, seq + (1 << 31), ack, ACK | PSH, source=SPOOFED, payload=b"out of window"))
    send(tcp4(sport, SERVER_PORT, seq - 100000, ack, ACK | PSH, source=SPOOFED, payload=b"old data"))
    send(tcp4(sport, SERVER_PORT, seq, ack + (1 << 30), ACK, source=SPOOFED))  # acknowledges unsent bytes
    send(tcp4(sport, SERVER_PORT, seq, ack, ACK, source=SPOOFED, window=0))
    send(tcp4(sport, SERVER_PORT, seq + 5000, ack, RST, source=SPOOFED))  # in the window, not exact
    send(tcp4(sport, SERVER_PORT, seq + (1 << 31), ack, RST, source=SPOOFED))
    send(tcp4(sport, SERVER_PORT, seq + 7, ack, SYN, source=SPOOFED))
    send(tcp4(sport, SERVER_PORT, seq, ack, ACK | PSH, source=SPOOFED, payload=b"x" * 40, good_checksum=False))
    send(tcp4(sport, SERVER_PORT, seq, ack, ACK | URG | PSH, source=SPOOFED, payload=b"u", urgent=65535))
    send(tcp4(sport, SERVER_PORT, seq, ack, ACK | PSH, source=SPOOFED, payload=b"hello\n", window=65535))
    send(tcp4(sport, SERVER_PORT, seq + 6, ack, ACK | FIN, source=SPOOFED))
    return True


def await_syn_ack(sport):
    """The tap's SYN-ACK to the spoofed SYN, read back from the device (bounded: 3 s)."""
    until = time.monotonic() + 3
    while time.monotonic() < until:
        ready, _, _ = select.select([device], [], [], 0.2)
        if not ready:
            continue
        packet, address = device.recvfrom(65535)
        if address[1] != ETH_P_IP or len(packet) < 40 or packet[9] != 6 or packet[16:20] != SPOOFED:
            continue
        header = (packet[0] & 0xF) * 4
        dport, seq, flags = struct.unpack("!H", packet[header + 2:header + 4])[0], \
            struct.unpack("!I", packet[header + 4:header + 8])[0], packet[header + 13]
        if dport == sport and flags & (SYN | ACK) == SYN | ACK:
            return seq
    return None


handshake = established_connection_attack()
rounds = [lying_ipv4_headers, lying_tcp_headers, absurd_options, rst_storm, fragments, ipv6_extension_chains,
          malformed_dns, icmp_shapes, random_bytes]
while sent < MAX_PACKETS and time.monotonic() < deadline:
    rng.choice(rounds)()
    time.sleep(0.001)  # pace the writes so the device queue is not simply overrun
print("barrage sent %d packets (handshake: %s)" % (sent, "yes" if handshake else "no"), flush=True)
os.close(device.detach())
