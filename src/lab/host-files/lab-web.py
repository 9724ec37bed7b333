#!/usr/bin/python3
"""lvsdr lab test web service: answers every GET on port 80 with this host's name.

It binds 0.0.0.0 so that a real server answers on the VIP too (the VIP lives on its lo in LVS-DR).
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


ThreadingHTTPServer.allow_reuse_address = True
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("0.0.0.0", 80), HostNameHandler).serve_forever()
