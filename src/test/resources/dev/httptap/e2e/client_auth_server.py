"""An HTTPS server on 127.0.0.1 that asks for a client certificate, as nginx's ssl_verify_client does.

Arguments: certificate, key, CA file (the client certificates it accepts), and "required" (CERT_REQUIRED:
a client without a certificate from that CA fails its handshake) or "optional" (CERT_OPTIONAL: asked for,
not required). Prints its port. GET /connections is answered "connections N", the TCP connections it
accepted so far (a handshake that failed included); any other GET "hello NAME", with the client
certificate's common name, or "hello anonymous" without one.
"""
import http.server
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        certificate = self.connection.getpeercert()
        name = dict(pair[0] for pair in certificate['subject'])['commonName'] if certificate else 'anonymous'
        text = 'connections %d' % self.server.accepted if self.path == '/connections' else 'hello ' + name
        body = (text + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


class Server(http.server.ThreadingHTTPServer):
    accepted = 0

    def get_request(self):
        try:
            return super().get_request()  # accept, then the TLS handshake, on this one thread
        finally:
            self.accepted += 1


certificate, key, ca, mode = sys.argv[1:5]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(certificate, key)
context.load_verify_locations(ca)
context.verify_mode = ssl.CERT_REQUIRED if mode == 'required' else ssl.CERT_OPTIONAL
server = Server(('127.0.0.1', 0), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
