"""Opens COUNT TCP connections to HOST:PORTS (a comma-separated list, used in turn) and keeps them open
and silent, COUNT bounded by this process's descriptor limit (raised to its hard limit first) and the
whole by SECONDS.

usage: idle_connections.py HOST PORTS COUNT SECONDS HOLD_COMMAND

Prints "limit L established E of C, failed F [first error]", runs HOLD_COMMAND (a shell command, which the
test uses to measure while the connections are open), then closes them all.
"""
import errno
import resource
import select
import socket
import subprocess
import sys
import time

HOST, PORTS, COUNT = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
SECONDS, HOLD = float(sys.argv[4]), sys.argv[5]
IN_FLIGHT = 1000

ADDRESSES = [socket.getaddrinfo(HOST, int(port), socket.AF_INET, socket.SOCK_STREAM)[0][4] for port in PORTS]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
count = min(COUNT, hard - 64)  # the interpreter, the hold command and the pipes keep a few descriptors
deadline = time.monotonic() + SECONDS
poller = select.epoll()
pending, established, failures = {}, [], []
started = 0
while (started < count or pending) and time.monotonic() < deadline:
    while started < count and len(pending) < IN_FLIGHT:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex(ADDRESSES[started % len(ADDRESSES)])
        if code not in (0, errno.EINPROGRESS):
            failures.append(errno.errorcode.get(code, str(code)))
            sock.close()
        else:
            pending[sock.fileno()] = sock
            poller.register(sock, select.EPOLLOUT)
        started += 1
    for fd, _ in poller.poll(0.5):
        sock = pending.pop(fd)
        poller.unregister(fd)
        code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            failures.append(errno.errorcode.get(code, str(code)))
            sock.close()
        else:
            established.append(sock)
print("limit %d established %d of %d, failed %d %s" % (hard, len(established), count, len(failures) + len(pending),
                                                      sorted(set(failures))[:3]), flush=True)
subprocess.run(HOLD, shell=True)
for sock in established:
    sock.close()
