#!/usr/bin/env bash
# Makes the files ./httptap uses to start faster, after the jar is built (maven's package phase):
#   target/jffi/libjffi-1.2.so  jffi's native stub, unpacked once; otherwise jffi copies it out of the jar
#                               into a new temporary file on every run (~50 ms).
#   target/httptap.jsa          an AppCDS archive of the classes a run loads (~60-80 ms saved), made by a
#                               training run of ./httptap -- true, or of --version where namespaces are
#                               not allowed.
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

unpack_jffi_stub
rm -f "$archive"
if ! train -- true && ! train --version; then
    rm -f "$archive.partial"
    note "no AppCDS archive (the training run failed); httptap starts without it"
fi
exit 0
