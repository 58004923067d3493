#!/usr/bin/env bash
# Makes the files ./httptap uses to start faster, after the jar is built (maven's package phase):
#   target/jffi/libjffi-1.2.so  jffi's native stub, unpacked once; otherwise jffi copies it out of the jar
#                               into a new temporary file on every run (~50 ms).
#   target/httptap.jsa          an AppCDS archive of the classes a run loads, made by a training run:
#                               curl fetching a page from a server this script starts on 127.0.0.1, over
#                               HTTP and, where openssl can make its certificate, over HTTPS (so the TCP,
#                               DNS, HTTP, HTTP/2 with node's server, gzip and TLS interception classes are
#                               in it), else ./httptap -- true, else --version where namespaces are not allowed.
#   target/httptap.aot          instead of the .jsa when the JVM ./httptap runs is JDK 25 or later: the
#                               JDK's ahead-of-time cache (JEP 483/514/515: classes loaded and linked, and
#                               method profiles, so the JIT starts warm), made by the same training run;
#                               target/httptap.aot.java names that JVM, and ./httptap uses the cache with it
#                               alone. Measured: one-request HTTPS run 0.96 -> 0.66 s on JDK 25 (0.89 s on
#                               JDK 17 with its .jsa); docs/benchmarks.md.
# All are optional: any failure here is reported and the build carries on without them, and ./httptap
# only passes them to the JVM when present (a stale archive is ignored by the JVM, silently).
set -uo pipefail

target="$1"
home="$(cd "$target/.." && pwd)"
jar="$target/httptap.jar"

# The JVM the launcher runs (its own rule), and its feature version, which decides the archive's kind.
java="${HTTPTAP_JAVA:-}"
if [[ -z $java ]]; then
    java=java
    [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && java="$JAVA_HOME/bin/java"
fi
feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
if [[ ${feature:-0} -ge 25 ]]; then
    archive="$target/httptap.aot"
else
    archive="$target/httptap.jsa"
fi

note() { echo "startup-aids: $*" >&2; }

unpack_jffi_stub() {
    local platform stub
    platform="$(uname -m)-$(uname -s)" # jffi's own naming, e.g. x86_64-Linux, aarch64-Linux
    stub="jni/$platform/libjffi-1.2.so"
    rm -rf "$target/jffi"
    mkdir -p "$target/jffi" || return 1
    # unzip -j drops the jar's directories; the file must be named exactly as jffi loads it.
    if ! unzip -q -j -o "$jar" "$stub" -d "$target/jffi" 2>/dev/null; then
        note "no jffi stub for $platform in the jar; jffi will unpack its own at run time"
        rm -rf "$target/jffi"
    fi
}

# One training run through the launcher, so that it uses exactly the JVM options of a real run.
train() {
    rm -f "$archive.partial"
    HTTPTAP_CDS_TRAINING="$archive.partial" timeout 120 "$home/httptap" "$@" >/dev/null 2>&1 \
        && [[ -s $archive.partial ]] \
        && mv -f "$archive.partial" "$archive"
}

# A training request needs a server, on 127.0.0.1, on ports the kernel picks, stopped when this script
# ends. Sets $port, $tls_port (empty without HTTPS) and $server (its pid). node's (training-server.js) when
# node is installed and make_certificate made $dir/server.pem: HTTP, and HTTPS with h2 and http/1.1, gzip'ed
# bodies (the first HTTP/2 exchange of a run took ~150 ms longer than an HTTP/1.1 one with Jetty's HPACK
# classes outside the archive); else python3's, serving an empty directory over HTTP and HTTPS (HTTP/1.0).
server=""
port=""
tls_port=""
dir=""
start_local_server() {
    command -v curl >/dev/null || return 1
    dir="$(mktemp -d)" && mkdir "$dir/www" || return 1
    make_certificate
    if command -v node >/dev/null && [[ -f $dir/server.pem ]]; then
        node "$home/src/build/training-server.js" "$dir/server.pem" "$dir/server.key" >"$dir.port" 2>/dev/null &
    elif command -v python3 >/dev/null; then
        start_python_server
    else
        return 1
    fi
    server=$!
    for _ in $(seq 50); do
        read -r port tls_port < "$dir.port" 2>/dev/null
        [[ -n $port ]] && return 0
        sleep 0.1
    done
    return 1
}
start_python_server() {
    python3 -c '
import http.server, os, ssl, sys, threading
certificates = sys.argv[2]
os.chdir(sys.argv[1])
def serve(wrap):
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    server.socket = wrap(server.socket)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return str(server.server_address[1])
ports = [serve(lambda sock: sock)]
if os.path.exists(os.path.join(certificates, "server.pem")):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(certificates, "server.pem"), os.path.join(certificates, "server.key"))
    ports.append(serve(lambda sock: context.wrap_socket(sock, server_side=True)))
print(" ".join(ports), flush=True)
threading.Event().wait()' "$dir/www" "$dir" >"$dir.port" 2>/dev/null &
}
stop_local_server() {
    [[ -n $server ]] && kill "$server" 2>/dev/null
    [[ -n $dir ]] && rm -rf "$dir" "$dir.port"
}
trap stop_local_server EXIT

# A CA (ca.pem, which the training run passes to --ca-file) and a certificate it signs for
# host.httptap.local (server.pem), ECDSA P-256 like httptap's own, in $dir; nothing without openssl.
make_certificate() {
    command -v openssl >/dev/null || return 0
    (
        cd "$dir" &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=httptap training CA" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
            -keyout ca.key -out ca.pem &&
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=host.httptap.local" \
            -keyout server.key -out server.csr &&
        printf 'subjectAltName=DNS:host.httptap.local\n' > server.ext &&
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile server.ext \
            -out server.pem
    ) >/dev/null 2>&1 || rm -f "$dir/server.pem"
}

train_with_requests() {
    start_local_server || return 1
    local http="http://host.httptap.local:$port/"
    local https="https://host.httptap.local:$tls_port/"
    # Each URL once: gzip'ed over HTTP, over HTTPS with h2 where the server offers it, and with HTTP/1.1.
    if [[ -n $tls_port ]] && train --ca-file "$dir/ca.pem" -- curl -sf --compressed --max-time 30 \
            -o /dev/null "$http" -o /dev/null "$https" --next -sf --http1.1 --max-time 30 -o /dev/null "$https"; then
        return 0
    fi
    train -- curl -s -o /dev/null --max-time 30 "$http"
}

unpack_jffi_stub
rm -f "$target/httptap.jsa" "$target/httptap.aot" "$target/httptap.aot.java"
if ! train_with_requests && ! train -- true && ! train --version; then
    rm -f "$archive.partial"
    note "no AppCDS archive (the training run failed); httptap starts without it"
elif [[ $archive == *.aot ]]; then
    printf '%s\n' "$java" > "$archive.java"
fi
exit 0
