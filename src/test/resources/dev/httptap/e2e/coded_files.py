"""Serves the files of a directory as they are, with the Content-Encoding named in NAME.coding beside each.

Usage: python3 coded_files.py DIRECTORY. Listens on 127.0.0.1 (an ephemeral port, printed on the first
line). GET /NAME answers the bytes of DIRECTORY/NAME, whatever the client accepts; POST answers 204 after
reading the body.
"""
import http.server
import os
import sys

root = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        name = os.path.basename(self.path)
        with open(os.path.join(root, name), "rb") as body_file:
            body = body_file.read()
        with open(os.path.join(root, name + ".coding")) as coding_file:
            coding = coding_file.read()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
