#!/usr/bin/env bash
# Regenerates the dumps beside this program: builds it, makes it deadlock (cycle, leaked lock, a
# crowd of 3), and saves its goroutine profile as debug=2 and debug=1 text. The checkout's absolute
# path is rewritten to /src/gridlock/ so the files do not depend on where they were made.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$here" && go build -o "$work/watchtarget" .)
"$work/watchtarget" > "$work/out" &
pid=$!
for _ in $(seq 50); do [ -s "$work/out" ] && break; sleep 0.1; done
addr="$(head -n1 "$work/out")"
curl -fsS "http://$addr/deadlock/cycle" > /dev/null
curl -fsS "http://$addr/deadlock/leak" > /dev/null
curl -fsS "http://$addr/crowd?n=3" > /dev/null
sleep 0.5
mkdir -p "$here/dumps"
for debug in 2 1; do
  curl -fsS "http://$addr/debug/pprof/goroutine?debug=$debug" | sed "s#$repo/#/src/gridlock/#g" > "$here/dumps/stuck.debug$debug.txt"
done
go version > "$here/dumps/GO_VERSION"
