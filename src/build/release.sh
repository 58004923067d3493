#!/usr/bin/env bash
# Makes the release tarballs after the jar and its start-up aids (maven's package phase):
#   target/httptap-VERSION-linux-ARCH.tar.gz            needs a Java 17+ runtime on the machine
#   target/httptap-VERSION-linux-ARCH-runtime.tar.gz    with a jlinked Java runtime of the modules httptap
#                                                       uses, in runtime/ (only when SELF_CONTAINED is true:
#                                                       the self-contained profile)
# Each unpacks to httptap-VERSION/:
#   bin/httptap                 the launcher (./httptap), which finds lib/release beside it and never builds
#   lib/httptap.jar, lib/release, lib/version (--version's line), lib/jffi/, lib/conscrypt/ (the natives
#                               the launcher points the JVM at)
#   libexec/httptap-helper      the native helper (the early start runs it before the JVM)
#   share/bash-completion/completions/httptap   picocli's completion script (bash; zsh through bashcompinit)
#   LICENSE, README
# No AppCDS archive: the JVM takes one only at the jar path it was made for, so the launcher has its own made
# by a training run in the background at a release's first run, in the user's cache.
set -euo pipefail

target="$1"
version="$2"
self_contained="${3:-false}"
home="$(cd "$target/.." && pwd)"
arch="$(uname -m)"
name="httptap-$version"
stage="$target/release"

note() { echo "release: $*" >&2; }

# The JDK tools beside the java the build runs on (jlink is not always on the PATH).
jdk_tool() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/$1 ]]; then echo "$JAVA_HOME/bin/$1"; else echo "$1"; fi
}

# The tarballs of an earlier build go first, so that a -runtime one never outlives the jar it was made with.
rm -rf "$stage" "$target/$name-linux-$arch.tar.gz" "$target/$name-linux-$arch-runtime.tar.gz"
root="$stage/$name"
mkdir -p "$root/bin" "$root/lib" "$root/libexec" "$root/share/bash-completion/completions"
cp "$home/httptap" "$root/bin/httptap"
cp "$target/httptap.jar" "$root/lib/"
# What httptap --version prints, which the launcher then answers without starting a JVM.
"$(jdk_tool java)" -jar "$target/httptap.jar" --version > "$target/version"
cp -p "$target/version" "$root/lib/"
echo "httptap $version release: bin/httptap never builds" > "$root/lib/release"
[[ -d $target/jffi ]] && cp -r "$target/jffi" "$root/lib/"
if [[ -f $target/conscrypt/libconscrypt_openjdk_jni-linux-$arch.so ]]; then
    mkdir "$root/lib/conscrypt"
    cp "$target/conscrypt/libconscrypt_openjdk_jni-linux-$arch.so" "$target/conscrypt/native-signatures.security" \
        "$root/lib/conscrypt/"
fi
cp "$target/classes/native/httptap-helper" "$root/libexec/"
cp "$home/LICENSE" "$root/"
cp "$home/src/release/README" "$root/"
"$(jdk_tool java)" -cp "$target/httptap.jar" picocli.AutoComplete --force --name httptap \
    --completionScript "$root/share/bash-completion/completions/httptap" dev.httptap.cli.Options
chmod -R u=rwX,go=rX "$root"
chmod 0755 "$root/bin/httptap" "$root/libexec/httptap-helper"

# Owned by root in the archive, sorted, with the files' own times: the same inputs give the same listing.
pack() {
    tar --owner=0 --group=0 --numeric-owner --sort=name -C "$stage" -czf "$1.partial" "$name"
    mv -f "$1.partial" "$1"
    note "$1 ($(du -h "$1" | cut -f1))"
}
pack "$target/$name-linux-$arch.tar.gz"

if [[ $self_contained == true ]]; then
    # The modules jdeps finds, less java.desktop (only Jetty's leak preventers, never loaded), plus
    # jdk.crypto.ec, a service provider jdeps cannot see (JSSE's EC keys: TLS without Conscrypt).
    modules="$("$(jdk_tool jdeps)" --ignore-missing-deps --multi-release 17 --print-module-deps "$target/httptap.jar")"
    modules="$(tr ',' '\n' <<< "$modules" | grep -vx java.desktop | paste -sd,),jdk.crypto.ec"
    "$(jdk_tool jlink)" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
        --generate-cds-archive --output "$root/runtime" > /dev/null
    # The archive for heaps over 32 GiB (uncompressed oops), which httptap never asks for.
    rm -f "$root/runtime/lib/server/classes_nocoops.jsa"
    pack "$target/$name-linux-$arch-runtime.tar.gz"
fi
