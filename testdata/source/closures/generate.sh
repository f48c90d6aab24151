#!/bin/sh
# Regenerates the real dumps beside main.go: one from the `go` on PATH (Go 1.26 when committed)
# and one from an older Go named by $GO_OLD (Go 1.19 when committed). The checkout and GOROOT
# prefixes are rewritten to neutral ones so no machine's paths are committed.
set -eu
cd "$(dirname "$0")"
here=$(pwd)
dump() {
  goroot=$("$1" env GOROOT)
  version=$("$1" env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')
  "$1" run . | sed -e "s|$here|/src/gridlock/testdata/source/closures|g" -e "s|$goroot|/usr/local/go|g" > "dump-go$version.txt"
}
dump go
if [ -n "${GO_OLD:-}" ]; then dump "$GO_OLD"; fi
