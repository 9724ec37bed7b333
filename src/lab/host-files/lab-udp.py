#!/usr/bin/python3
"""lvsdr lab test UDP service: answers every datagram on UDP port 80 with this host's name, DR-ready.

It binds 0.0.0.0 (so a VIP on lo is served too) and replies FROM THE ADDRESS IT WAS ASKED ON: a plain
sendto would answer from the real IP when the VIP is on the host (sysctl and arptables methods), and
the client drops such replies. IP_PKTINFO hands each datagram's destination to recvmsg, and the same
ancillary data on sendmsg sets the reply's source. Python's socket module has no IP_PKTINFO name; 8
is its value on Linux. struct in_pktinfo is ifindex, spec_dst, addr (4 bytes each).
"""
import socket
import struct

IP_PKTINFO = 8
PORT = 80

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
s.bind(("0.0.0.0", PORT))
name = (socket.gethostname() + "\n").encode()
while True:
    _, ancillary, _, client = s.recvmsg(2048, socket.CMSG_SPACE(12))
    asked_on = None
    for level, kind, data in ancillary:
        if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
            asked_on = data[8:12]
    # ifindex 0: routed as usual; spec_dst: the reply's source address
    ancillary = [] if asked_on is None else [(socket.IPPROTO_IP, IP_PKTINFO, struct.pack("=I4s4s", 0, asked_on, bytes(4)))]
    try:
        s.sendmsg([name], ancillary, 0, client)
    except OSError:
        pass  # one client that cannot be answered (no route, ICMP error) is no reason to stop
