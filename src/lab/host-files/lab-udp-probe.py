"""lvsdr lab UDP probe, run on the client (`python3 -S - VIP PORT COUNT SECONDS`, this file on stdin).

Each request is a datagram from a fresh socket (a new client port: a new flow for the director) and
waits up to 2 s for the answer. The socket is not connected, so a reply from the wrong source is
seen and reported ("FAIL from ADDRESS NAME") instead of silently filtered as a connected socket (or
a real client) would: a DR real server must answer from the VIP.
"""
import socket
import sys
import time

vip, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
end = time.monotonic() + seconds
for _ in range(count):
    if time.monotonic() >= end:
        break
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(b"lvsdr-lab-probe", (vip, port))
        try:
            answer, source = s.recvfrom(2048)
        except OSError as e:
            print("FAIL %s" % (e.__class__.__name__), flush=True)
            continue
    name = answer.decode(errors="replace").strip()
    if source == (vip, port):
        print("OK %s" % name, flush=True)
    else:
        print("FAIL from %s:%d %s" % (source[0], source[1], name), flush=True)
