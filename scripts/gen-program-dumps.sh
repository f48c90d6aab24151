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
# Files in a program directory that change how it is built and dumped:
#   formats       extra dump formats to make with Go 1.26, separated by blanks or newlines:
#                 debug1 → dump-go1.26.debug1.txt, proto → dump-go1.26.pb.gz (the gzipped protobuf of
#                 `WriteTo(w, 0)`; paths are rewritten inside its string table), sigquit →
#                 dump-go1.26.sigquit.txt. Such a program reads GRIDLOCK_DUMP=debug2|debug1|proto|sigquit
#                 and writes that dump (sigquit: it sends itself SIGQUIT); its dump-goV.txt files are
#                 made with GRIDLOCK_DUMP=debug2.
#   build-files   build from this file list instead of the package: `go build -o BIN main.go …`, or,
#                 when the list holds a _test.go file, `go test -c -o BIN …` (a test binary whose
#                 TestMain runs the program). The package under test then prints as
#                 `command-line-arguments` (a package main built by `go build` still prints `main`).
#   main.go.orig  the source that is built and run: the program is copied to a temporary directory
#                 with main.go.orig as its main.go, and the dump's paths are rewritten as if it had been
#                 built in place. The committed main.go is the same program with moved lines (the
#                 source a user has after editing; the dump's lines point at the old places).
#   go-versions   extra Go versions to dump with, besides 1.26 and 1.19 (only 1.27 is known: run with
#                 GO127, by default the toolchain that `GOTOOLCHAIN=go1.27.0 go` fetches through the
#                 module proxy). A GOROOT other than /usr/local/go and /usr/lib/go-1.19 (such as a
#                 module-cache toolchain) is printed as /usr/local/go.
#
# Usage: scripts/gen-program-dumps.sh [--pending] [program-dir-name ...]
#   --pending     work on testdata/programs-pending/ (fixtures waiting for a feature) instead of
#                 testdata/programs/; the same as PROGRAMS_DIR=testdata/programs-pending.
# Environment: GO126 (default: go), GO119 (default: /usr/lib/go-1.19/bin/go), GO127 (see go-versions),
#   PROGRAMS_DIR (default: testdata/programs; relative to the checkout unless absolute). The dumps name
#   the program's directory as it is, e.g. /src/gridlock/testdata/programs-pending/NAME/main.go.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
programs_dir=${PROGRAMS_DIR:-testdata/programs}
if [ "${1:-}" = --pending ]; then
  programs_dir=testdata/programs-pending
  shift
fi
case "$programs_dir" in /*) programs=${programs_dir%/} ;; *) programs="$repo/${programs_dir%/}" ;; esac
example="$repo/examples/btcd-shape"
neutral=/src/gridlock
go126=${GO126:-go}
go119=${GO119:-/usr/lib/go-1.19/bin/go}
go127=${GO127:-}
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

# rewrite_paths FROM TO GOROOT < dump > dump: the program's build directory FROM becomes TO, the
# checkout prefix becomes the neutral one, a non-standard GOROOT becomes /usr/local/go, the temporary
# build directory becomes /tmp/build.
rewrite_paths() {
  local from="$1" to="$2" goroot="${3:-}"
  case "$goroot" in /usr/local/go | /usr/lib/go-1.19 | "") goroot=/usr/local/go ;; esac
  FROM="$from" TO="$to" REPO="$repo" NEUTRAL="$neutral" GOROOT_FROM="$goroot" WORK="$work" perl -pe \
    's/\Q$ENV{FROM}\E/$ENV{TO}/g; s/\Q$ENV{REPO}\E/$ENV{NEUTRAL}/g; s/\Q$ENV{GOROOT_FROM}\E\//\/usr\/local\/go\//g; s/\Q$ENV{WORK}\E\//\/tmp\/build\//g'
}

# rewrite_proto FROM TO GOROOT < profile.pb.gz > profile.pb.gz: the same rewriting inside the string
# table (field 6) of a gzipped pprof protobuf (the binary's path, in the temporary build directory,
# becomes /tmp/build/prog); the other fields are copied byte for byte.
rewrite_proto() {
  FROM="$1" TO="$2" GOROOT_FROM="${3:-}" REPO="$repo" NEUTRAL="$neutral" WORK="$work" node -e '
    const zlib = require("zlib");
    const input = zlib.gunzipSync(require("fs").readFileSync(0));
    const env = process.env;
    const rewrite = (s) => {
      s = s.split(env.FROM).join(env.TO).split(env.REPO).join(env.NEUTRAL).split(env.WORK + "/").join("/tmp/build/");
      const g = env.GOROOT_FROM;
      if (g && g !== "/usr/local/go" && g !== "/usr/lib/go-1.19") s = s.split(g + "/").join("/usr/local/go/");
      return s;
    };
    const varint = (buf, at) => { let v = 0, mul = 1, b; do { b = buf[at++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80); return [v, at]; };
    const encode = (v) => { const out = []; do { let b = v % 128; v = Math.floor(v / 128); if (v > 0) b |= 0x80; out.push(b); } while (v > 0); return Buffer.from(out); };
    const parts = [];
    for (let at = 0; at < input.length;) {
      const start = at;
      let key; [key, at] = varint(input, at);
      const wire = key & 7;
      if (wire === 0) { [, at] = varint(input, at); }
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else if (wire === 2) {
        let len; [len, at] = varint(input, at);
        if (key >>> 3 === 6) {
          const s = Buffer.from(rewrite(input.subarray(at, at + len).toString("utf8")), "utf8");
          parts.push(encode(key), encode(s.length), s);
          at += len;
          continue;
        }
        at += len;
      } else throw new Error("unexpected wire type " + wire);
      parts.push(input.subarray(start, at));
    }
    process.stdout.write(zlib.gzipSync(Buffer.concat(parts)));
  '
}

# run_program GO DIR OUT [FORMAT]: builds and runs the program in DIR, writes its path-rewritten dump
# to OUT. FORMAT (debug2, debug1, proto, sigquit) is handed to the program as GRIDLOCK_DUMP; without
# it, a program whose main.go sends itself syscall.SIGQUIT is a traceback, any other writes to stdout.
run_program() {
  local gobin="$1" dir="$2" out="$3" format="${4:-}"
  local rel=${dir#"$repo"/}
  local bin="$work/prog" mode_flags=() build_dir="$dir" targets=(.)
  [ -d "$dir/vendor" ] && mode_flags=(-mod=vendor)
  if [ -f "$dir/main.go.orig" ]; then
    build_dir="$work/moved/$(basename "$dir")"
    rm -rf "$build_dir" && mkdir -p "$work/moved" && cp -R "$dir" "$build_dir"
    cp "$dir/main.go.orig" "$build_dir/main.go"
  fi
  local build=(build)
  if [ -f "$dir/build-files" ]; then
    read -r -a targets <<<"$(tr '\n' ' ' <"$dir/build-files")"
    case " ${targets[*]} " in *_test.go\ *) build=(test -c) ;; esac
  fi
  rm -f "$bin"
  (cd "$build_dir" && "$gobin" "${build[@]}" "${mode_flags[@]}" -o "$bin" "${targets[@]}")
  local goroot
  goroot=$("$gobin" env GOROOT)
  local status=0
  (cd "$build_dir" && GRIDLOCK_DUMP="$format" GOTRACEBACK=all timeout 120 "$bin" >"$work/stdout" 2>"$work/stderr") || status=$?
  local source_file="$work/stdout" want_status=0
  if [ "$format" = sigquit ] || { [ -z "$format" ] && grep -q 'syscall.SIGQUIT' "$dir"/main.go; }; then
    source_file="$work/stderr"
    want_status=2
  fi
  if [ "$status" -ne "$want_status" ]; then
    echo "  $rel: exit status $status, expected $want_status" >&2
    sed 's/^/    /' "$work/stderr" | head -20 >&2
    return 1
  fi
  if [ "$format" = proto ]; then
    if [ "$(head -c 2 "$source_file" | od -An -tx1 | tr -d ' ')" != 1f8b ]; then
      echo "  $rel: no gzipped profile in its output" >&2
      return 1
    fi
    rewrite_proto "$build_dir" "$neutral/$rel" "$goroot" <"$source_file" >"$out"
    echo "  $rel → ${out#"$repo"/} ($(wc -c <"$out") bytes)"
    return 0
  fi
  if ! grep -q '^goroutine' "$source_file"; then
    echo "  $rel: no goroutine dump in its output" >&2
    return 1
  fi
  rewrite_paths "$build_dir" "$neutral/$rel" "$goroot" <"$source_file" >"$out"
  echo "  $rel → ${out#"$repo"/} ($(grep -c '' "$out") lines)"
}

# formats_of DIR: the extra formats the program asks for (empty when it has no formats file).
formats_of() {
  [ -f "$1/formats" ] && tr -s ' \t\n' '\n' <"$1/formats" | grep -v '^$' || true
}

# wants_version DIR VERSION: 1.26 and 1.19 always; other versions when listed in DIR/go-versions.
wants_version() {
  case "$2" in 1.26 | 1.19) return 0 ;; esac
  [ -f "$1/go-versions" ] && tr -s ' \t\n' '\n' <"$1/go-versions" | grep -qx "$2"
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
if is_selected examples && [ "$programs" = "$repo/testdata/programs" ]; then
  cp "$programs"/01-btcd-cycle/*.go "$programs"/01-btcd-cycle/go.mod "$example"/
fi

failed=0
for version in 1.26 1.19 1.27; do
  case "$version" in
    1.26) gobin=$go126 ;;
    1.19) gobin=$go119 ;;
    1.27)
      needed=0
      for dir in "$programs"/[0-9]*/; do
        is_selected "$(basename "$dir")" && wants_version "${dir%/}" 1.27 && needed=1
      done
      [ "$needed" = 1 ] || continue
      if [ -z "$go127" ]; then
        go127="$(GOTOOLCHAIN=go1.27.0 go env GOROOT 2>/dev/null)/bin/go" || go127=
      fi
      gobin=$go127
      ;;
  esac
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
    wants_version "$dir" "$version" || continue
    formats=$(formats_of "$dir")
    base_format=
    [ -n "$formats" ] && base_format=debug2
    run_program "$gobin" "$dir" "$dir/dump-go$version.txt" "$base_format" || { failed=1; continue; }
    if [ "$version" = 1.26 ]; then
      for format in $formats; do
        case "$format" in
          debug1 | sigquit) out="$dir/dump-go$version.$format.txt" ;;
          proto) out="$dir/dump-go$version.pb.gz" ;;
          *) echo "  ${dir#"$repo"/}: unknown format $format in formats" >&2; failed=1; continue ;;
        esac
        run_program "$gobin" "$dir" "$out" "$format" || failed=1
      done
    fi
    if [ -f "$dir/expected-excerpt.json" ] && [ "$version" = 1.26 ]; then
      make_excerpt "$dir/dump-go$version.txt" "$dir/dump-excerpt.txt"
      echo "  ${dir#"$repo"/} → dump-excerpt.txt ($(grep -c '' "$dir/dump-excerpt.txt") lines)"
    fi
  done
  if [ "$version" = 1.26 ] && is_selected examples && [ "$programs" = "$repo/testdata/programs" ]; then
    run_program "$gobin" "$example" "$example/dump.txt" || failed=1
  fi
done
exit "$failed"
