"""lvsdr's UDP probe: `python3 -S - ADDRESS PORT COUNT SECONDS [SOURCE [PAYLOAD_HEX [PAUSE]]]` (this
file on stdin, or its text after -c; an empty SOURCE or PAYLOAD_HEX: none given). `lvsdr lab probe --udp` runs it on the lab client; the udp_answer
module (a rollout's verification) on a real server, from the real server's own address.

Each request is a datagram from a fresh socket (a new client port: a new flow for a director),
bound to SOURCE when given, and waits up to 2 s for the answer. The socket is not connected, so a
reply from the wrong source is seen and reported ("FAIL from ADDRESS:PORT TEXT") instead of
silently filtered as a connected socket (or a real client) would: a DR real server must answer from
the VIP. Written for Python 2.7 and 3 alike (RHEL's platform-python, python3).
"""
import binascii
import socket
import sys
import time

clock = getattr(time, "monotonic", time.time)
vip, port, count, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
source = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
payload = binascii.unhexlify(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[6] else b"lvsdr-probe"
pause = float(sys.argv[7]) if len(sys.argv) > 7 else 0.0


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


end = clock() + seconds
for i in range(count):
    if clock() >= end:
        break
    if i and pause:
        time.sleep(pause)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(2)
        if source:
            s.bind((source, 0))
        s.sendto(payload, (vip, port))
        answer, sender = s.recvfrom(2048)
    except (socket.error, OSError, IOError) as e:
        say("FAIL %s" % e.__class__.__name__)
        continue
    finally:
        s.close()
    text = answer.decode("utf-8", "replace").strip().replace("\n", " ")
    if sender == (vip, port):
        say("OK %s" % text)
    else:
        say("FAIL from %s:%d %s" % (sender[0], sender[1], text))
