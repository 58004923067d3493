#!/usr/bin/env bash
# Makes the files ./httptap uses to start faster, after the jar is built (maven's package phase):
#   target/jffi/libjffi-1.2.so  jffi's native stub, unpacked once; otherwise jffi copies it out of the jar
#                               into a new temporary file on every run (~50 ms).
#   target/httptap.jsa          an AppCDS archive of the classes a run loads, made by a training run:
#                               curl fetching a page from a server this script starts on 127.0.0.1 (so
#                               the TCP, DNS and HTTP classes are in it), else ./httptap -- true, else
#                               --version where namespaces are not allowed.
# Both are optional: any failure here is reported and the build carries on without them, and ./httptap
# only passes them to the JVM when present (a stale archive is ignored by the JVM, silently).
set -uo pipefail

target="$1"
home="$(cd "$target/.." && pwd)"
jar="$target/httptap.jar"
archive="$target/httptap.jsa"

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

# A training request needs a server: python3's, on 127.0.0.1, on a port the kernel picks, serving an
# empty directory, stopped when this script ends. Sets $port and $server (its pid).
server=""
port=""
dir=""
start_local_server() {
    command -v python3 >/dev/null && command -v curl >/dev/null || return 1
    dir="$(mktemp -d)" || return 1
    python3 -c '
import http.server, os, sys
os.chdir(sys.argv[1])
server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
print(server.server_address[1], flush=True)
server.serve_forever()' "$dir" >"$dir.port" 2>/dev/null &
    server=$!
    for _ in $(seq 50); do
        port="$(head -1 "$dir.port" 2>/dev/null)"
        [[ -n $port ]] && return 0
        sleep 0.1
    done
    return 1
}
stop_local_server() {
    [[ -n $server ]] && kill "$server" 2>/dev/null
    [[ -n $dir ]] && rm -rf "$dir" "$dir.port"
}
trap stop_local_server EXIT

train_with_a_request() {
    start_local_server && train -- curl -s -o /dev/null --max-time 30 "http://host.httptap.local:$port/"
}

unpack_jffi_stub
rm -f "$archive"
if ! train_with_a_request && ! train -- true && ! train --version; then
    rm -f "$archive.partial"
    note "no AppCDS archive (the training run failed); httptap starts without it"
fi
exit 0
