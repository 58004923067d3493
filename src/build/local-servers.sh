# Web servers on 127.0.0.1 for runs that must not leave this machine: the build's training run
# (startup-aids.sh) and scripts/demo. Sourced by both; defines two functions.

# make_test_certificates DIR: in DIR, a CA (ca.pem, ca.key) and a certificate it signs for
# host.httptap.local (server.pem, server.key), ECDSA P-256 like httptap's own, valid for a day. openssl's
# messages go to DIR/openssl.log; fails without openssl or when it does.
make_test_certificates() {
    (
        cd "$1" &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=httptap test CA" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
            -keyout ca.key -out ca.pem &&
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=host.httptap.local" \
            -keyout server.key -out server.csr &&
        printf 'subjectAltName=DNS:host.httptap.local\n' > server.ext &&
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile server.ext \
            -out server.pem
    ) > "$1/openssl.log" 2>&1 || { rm -f "$1/server.pem"; return 1; }
}

# start_local_servers WWW DIR: python3 serving the directory WWW on 127.0.0.1, on ports the kernel picks,
# over HTTP and, when DIR/server.pem exists (make_test_certificates), over HTTPS too (HTTP/1.0). Sets
# local_server_pid, which the caller kills when done, and the ports (await_local_ports); python's messages
# go to DIR/server.log.
start_local_servers() {
    local www="$1" dir="$2"
    python3 -u -c '
import http.server, os, ssl, sys, threading
www, certificates = sys.argv[1:3]
class Files(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=www, **kwargs)
    def log_message(self, *args):
        pass
def serve(wrap):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    server.socket = wrap(server.socket)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return str(server.server_address[1])
ports = [serve(lambda sock: sock)]
if os.path.exists(os.path.join(certificates, "server.pem")):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.path.join(certificates, "server.pem"), os.path.join(certificates, "server.key"))
    ports.append(serve(lambda sock: tls.wrap_socket(sock, server_side=True)))
print(" ".join(ports))
threading.Event().wait()' "$www" "$dir" > "$dir/ports" 2> "$dir/server.log" &
    local_server_pid=$!
    await_local_ports "$dir"
}

# await_local_ports DIR: reads "HTTP_PORT [HTTPS_PORT]", the line a server started in the background writes
# to DIR/ports, into http_port and https_port (empty without HTTPS). Fails if none comes within 5 s.
await_local_ports() {
    local _
    http_port="" https_port=""
    for _ in $(seq 50); do
        read -r http_port https_port < "$1/ports" 2> /dev/null || true
        [[ -n $http_port ]] && return 0
        sleep 0.1
    done
    return 1
}
