"""Opens COUNT UDP flows (one socket, so one source port, each) to HOST:PORT, an echo server: each sends one
datagram and waits for its echo. Flow 0 goes first and the last flow last, each alone; then, after all,
flow 0 and the last flow send once more, in that order. Bounded by SECONDS.

usage: udp_flows.py HOST PORT COUNT SECONDS

Prints "echoed E of C; again: flow 0 yes|no, last flow yes|no".
"""
import resource
import select
import socket
import sys
import time

HOST, PORT, COUNT, SECONDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
BATCH = 256

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
address = socket.getaddrinfo(HOST, PORT, socket.AF_INET, socket.SOCK_DGRAM)[0][4]
deadline = time.monotonic() + SECONDS
flows = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(COUNT)]


def exchange(batch, payload):
    """Sends from each socket of the batch, then collects the echoes; the number echoed."""
    for index in batch:
        flows[index].sendto(payload(index), address)
    waiting = {flows[index].fileno(): index for index in batch}
    poller = select.poll()  # not select(): the descriptors go far past 1024
    for fd in waiting:
        poller.register(fd, select.POLLIN)
    echoed = 0
    while waiting and time.monotonic() < deadline:
        for fd, _ in poller.poll(500):
            poller.unregister(fd)
            index = waiting.pop(fd)
            echoed += flows[index].recv(100) == payload(index)
    return echoed


first = lambda index: b"flow %d" % index
echoed = exchange([0], first)
for start in range(1, COUNT - 1, BATCH):
    echoed += exchange(range(start, min(start + BATCH, COUNT - 1)), first)
echoed += exchange([COUNT - 1], first)
again = lambda index: b"again %d" % index
flow0_again = exchange([0], again) == 1
last_again = exchange([COUNT - 1], again) == 1
print("echoed %d of %d; again: flow 0 %s, last flow %s" % (echoed, COUNT, "yes" if flow0_again else "no",
                                                         "yes" if last_again else "no"), flush=True)
