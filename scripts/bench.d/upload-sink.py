#!/usr/bin/env python3
"""A minimal HTTP/1.1 upload sink for the benchmarks: reads each request body to the end, throws it away
and answers 200 with the number of body bytes it received, so that an upload is measured to its last byte
(a static web server would answer 405 before reading the body).

Usage: upload-sink.py PORT   (listens on 127.0.0.1 only; serves connections one at a time until killed)
"""
import socket
import sys

CHUNK = 1 << 20
IDLE_TIMEOUT_SECONDS = 60
MAX_HEADER_BYTES = 64 * 1024


def read_head(connection):
    """Returns (head, first body bytes) or None when the peer closes or sends an oversized head."""
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEADER_BYTES:
            return None
        chunk = connection.recv(CHUNK)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def header(head, name):
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def reply(connection, status, text):
    body = text.encode()
    connection.sendall(b"HTTP/1.1 %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                       % (status.encode(), len(body), body))


def serve(connection):
    parsed = read_head(connection)
    if parsed is None:
        return
    head, received = parsed
    length = header(head, "content-length")
    if length is None or not length.isdigit():
        reply(connection, "411 Length Required", "Content-Length required\n")
        return
    if (header(head, "expect") or "").lower() == "100-continue":
        connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    remaining = int(length) - len(received)
    buffer = bytearray(CHUNK)
    while remaining > 0:
        count = connection.recv_into(buffer, min(CHUNK, remaining))
        if count == 0:
            return  # the client gave up; nothing to answer
        remaining -= count
    reply(connection, "200 OK", "%s\n" % length)


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1])))
    listener.listen(16)
    while True:
        connection, _ = listener.accept()
        connection.settimeout(IDLE_TIMEOUT_SECONDS)
        try:
            serve(connection)
        except OSError as error:
            print("upload-sink: %s" % error, file=sys.stderr)
        finally:
            connection.close()


if __name__ == "__main__":
    main()
