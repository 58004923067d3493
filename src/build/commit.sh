#!/usr/bin/env bash
# Writes the commit the build is made from, as properties that fill version.properties (maven's resource
# filters, pom.xml): commit (abbreviated hash, or empty outside a git work tree, e.g. a source tarball) and
# modified ("true" when tracked or new files differ from that commit, so the build is not exactly it).
set -uo pipefail

home="$1"
out="$2"
commit=""
modified=false
if command -v git > /dev/null && commit="$(git -C "$home" rev-parse --short=12 HEAD 2>/dev/null)"; then
    [[ -n $(git -C "$home" status --porcelain 2>/dev/null) ]] && modified=true
else
    commit=""
fi
mkdir -p "$(dirname "$out")"
printf 'commit=%s\nmodified=%s\n' "$commit" "$modified" > "$out"
