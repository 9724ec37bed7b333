#!/usr/bin/python3
"""lvsdr lab test web service: answers every GET on port 80 with this host's name.

It binds every address of both families ([::] with IPV6_V6ONLY off: IPv4 clients arrive as
::ffff:a.b.c.d) so that a real server answers on the VIP too (the VIP lives on its lo in LVS-DR),
an IPv6 VIP included.
"""
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HostNameHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = (socket.gethostname() + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class DualStackServer(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    allow_reuse_address = True
    daemon_threads = True

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


DualStackServer(("::", 80), HostNameHandler).serve_forever()
