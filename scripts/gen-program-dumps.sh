#!/usr/bin/env bash
# Regenerates the committed goroutine dumps of the Go fixture programs under testdata/programs/
# (and the bundled example under examples/btcd-shape/) with Go 1.26 and Go 1.19.
#
# Each program parks its goroutines and writes its own dump:
#   - most write `pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)` (or 1) and exit 0: the dump is stdout;
#   - programs whose main.go sends itself syscall.SIGQUIT die with the runtime's traceback
#     (GOTRACEBACK=all) and exit status 2: the dump is stderr.
# The absolute path of this checkout is rewritten to /src/gridlock so that no machine path is
# committed; GOROOT paths (/usr/local/go, /usr/lib/go-1.19) are standard install paths and stay.
# Re-running changes only addresses, offsets and (where goroutines race to start) goroutine ids.
#
# Usage: scripts/gen-program-dumps.sh [program-dir-name ...]
# Environment: GO126 (default: go), GO119 (default: /usr/lib/go-1.19/bin/go).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
programs="$repo/testdata/programs"
example="$repo/examples/btcd-shape"
neutral=/src/gridlock
go126=${GO126:-go}
go119=${GO119:-/usr/lib/go-1.19/bin/go}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GOTOOLCHAIN=local GOWORK=off GOFLAGS= GO111MODULE=on

# go_minor BIN → prints "1.26" etc., or nothing when BIN is not a usable Go.
go_minor() {
  local v
  v=$("$1" env GOVERSION 2>/dev/null) || return 0
  v=${v#go}
  echo "${v%.*}" | cut -d. -f1,2
}

# rewrite_paths DIR < dump > dump: the checkout prefix becomes the neutral one.
rewrite_paths() {
  local from="$1" to="$2"
  FROM="$from" TO="$to" REPO="$repo" NEUTRAL="$neutral" perl -pe \
    's/\Q$ENV{FROM}\E/$ENV{TO}/g; s/\Q$ENV{REPO}\E/$ENV{NEUTRAL}/g'
}

# run_program GO DIR OUT: builds and runs the program in DIR, writes its path-rewritten dump to OUT.
run_program() {
  local gobin="$1" dir="$2" out="$3"
  local rel=${dir#"$repo"/}
  local bin="$work/prog" mode_flags=()
  [ -d "$dir/vendor" ] && mode_flags=(-mod=vendor)
  rm -f "$bin"
  (cd "$dir" && "$gobin" build "${mode_flags[@]}" -o "$bin" .)
  local status=0
  (cd "$dir" && GOTRACEBACK=all timeout 120 "$bin" >"$work/stdout" 2>"$work/stderr") || status=$?
  local source_file="$work/stdout" want_status=0
  if grep -q 'syscall.SIGQUIT' "$dir"/main.go; then
    source_file="$work/stderr"
    want_status=2
  fi
  if [ "$status" -ne "$want_status" ]; then
    echo "  $rel: exit status $status, expected $want_status" >&2
    sed 's/^/    /' "$work/stderr" | head -20 >&2
    return 1
  fi
  if ! grep -q '^goroutine' "$source_file"; then
    echo "  $rel: no goroutine dump in its output" >&2
    return 1
  fi
  rewrite_paths "$dir" "$neutral/$rel" <"$source_file" >"$out"
  echo "  $rel → ${out#"$repo"/} ($(grep -c '' "$out") lines)"
}

# make_excerpt DUMP OUT: keeps the header and the debug=1 records of the crowds and of
# blockHandler, dropping main's record and peerHandler's (the btcd seed shows only those).
make_excerpt() {
  awk '
    function flush() {
      if (record != "" && record !~ /\(\*server\)\.peerHandler\+/ &&
          record ~ /\(\*server\)\.peerDoneHandler\+|\(\*server\)\.AddPeer\+|\(\*syncManager\)\.blockHandler\+/)
        printf "%s\n", record
      record = ""
    }
    NR == 1 && /^goroutine profile: total/ { print; next }
    /^$/ { flush(); next }
    { record = record $0 "\n" }
    END { flush() }
  ' "$1" >"$2"
}

selected=("$@")
is_selected() {
  [ ${#selected[@]} -eq 0 ] && return 0
  local name
  for name in "${selected[@]}"; do [ "$name" = "$1" ] && return 0; done
  return 1
}

# Keep the example's Go source a copy of program 01.
if is_selected examples; then
  cp "$programs"/01-btcd-cycle/*.go "$programs"/01-btcd-cycle/go.mod "$example"/
fi

failed=0
for version in 1.26 1.19; do
  if [ "$version" = 1.26 ]; then gobin=$go126; else gobin=$go119; fi
  found=$(go_minor "$gobin")
  if [ "$found" != "$version" ]; then
    echo "Go $version: skipped ($gobin is ${found:+Go $found}${found:-not installed})"
    continue
  fi
  echo "Go $version ($gobin):"
  for dir in "$programs"/[0-9]*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    is_selected "$name" || continue
    run_program "$gobin" "$dir" "$dir/dump-go$version.txt" || { failed=1; continue; }
    if [ -f "$dir/expected-excerpt.json" ] && [ "$version" = 1.26 ]; then
      make_excerpt "$dir/dump-go$version.txt" "$dir/dump-excerpt.txt"
      echo "  ${dir#"$repo"/} → dump-excerpt.txt ($(grep -c '' "$dir/dump-excerpt.txt") lines)"
    fi
  done
  if [ "$version" = 1.26 ] && is_selected examples; then
    run_program "$gobin" "$example" "$example/dump.txt" || failed=1
  fi
done
exit "$failed"
