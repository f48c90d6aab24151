#!/usr/bin/env bash
# Regenerates the real dumps in this folder by running the Go programs beside them.
#   GO127="env GOTOOLCHAIN=go1.27.0 go" GO126=go GO119=/usr/lib/go-1.19/bin/go ./regen.sh
# (GOTOOLCHAIN=go1.27.0 fetches Go 1.27 through the module proxy.)
# Absolute paths of the checkout and of GOROOT are rewritten to neutral ones
# (/src/gridlock and /usr/local/go) so that no machine's layout is committed.
# The mangled/ variants are made from the real dumps by the transformations named in their
# file names. Files marked "hand-written" in their first lines are not touched.
set -u
cd "$(dirname "$0")"
here=$(pwd)
checkout=$(cd ../.. && pwd)
GO126=${GO126:-go}
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
GO127=${GO127:-env GOTOOLCHAIN=go1.27.0 go}

neutral() {
  local goroot=$1
  sed -e "s#${checkout}#/src/gridlock#g" -e "s#${goroot}#/usr/local/go#g" \
      -e "s#/tmp/go-build[0-9]*/b[0-9]*/[a-z.]*#/tmp/go-build/exe#g"
}

run_versions() { # name, then the command to run in the fixture folder with $GO
  local name=$1; shift
  for pair in "1.26:$GO126" "1.19:$GO119"; do
    local version=${pair%%:*} gobin=${pair#*:}
    command -v "$gobin" >/dev/null 2>&1 || { echo "skip $name go$version: $gobin not found"; continue; }
    local goroot; goroot=$("$gobin" env GOROOT)
    (cd "$here/$name" && GO="$gobin" bash -c "$*") 2>&1 | neutral "$goroot" > "$here/$name/go$version.txt"
  done
}

run_versions deadlock '$GO run main.go'
run_versions panic-recovered '$GO run main.go'
run_versions elided '$GO run main.go'
run_versions ancestors 'GOTRACEBACK=all GODEBUG=tracebackancestors=5 $GO run main.go'
run_versions test-timeout '$GO test -count=1 -timeout 1s .'
# SIGQUIT under three GOTRACEBACK levels (1.26 only: the gp=/m= headers and fp= words are new).
for level in all system crash; do
  (cd sigquit && GOTRACEBACK=$level "$GO126" run main.go) 2>&1 | neutral "$("$GO126" env GOROOT)" > "sigquit/go1.26-$level.txt"
done
(cd sigquit && GOTRACEBACK=all "$GO119" run main.go) 2>&1 | neutral "$("$GO119" env GOROOT)" > "sigquit/go1.19-all.txt"
# The goroutine profile in its three forms.
for pair in "1.26:$GO126" "1.19:$GO119"; do
  version=${pair%%:*} gobin=${pair#*:}
  # The protobuf cannot be rewritten with sed: the compiler records neutral paths instead.
  rewrite="-trimpath=${checkout}=>/src/gridlock;$("$gobin" env GOROOT)=>/usr/local/go"
  (cd pprof && GODEBUG=tracebacklabels=1 "$gobin" run -gcflags="all=$rewrite" -asmflags="all=$rewrite" main.go "$here/pprof/go$version")
done

# pprof labels, (leaked), an RWMutex writer behind a writer, synctest bubbles. The folders' go.mod
# says `go 1.27`, under which Go 1.27 prints labels after the state bracket by default; Go 1.26 reads
# main.go in GOPATH mode and prints them inside the bracket when GODEBUG=tracebacklabels=1.
if $GO127 version >/dev/null 2>&1; then
  goroot127=$($GO127 env GOROOT)
  (cd labels && $GO127 run . leak) 2>&1 | neutral "$goroot127" > labels/go1.27-leak.txt
  for level in all system; do
    (cd labels && GOTRACEBACK=$level $GO127 run . panic) 2>&1 | neutral "$goroot127" > "labels/go1.27-$level.txt"
  done
  (cd synctest && $GO127 test -count=1 .) 2>&1 | neutral "$goroot127" > synctest/go1.27.txt
else
  echo "skip labels and synctest go1.27: $GO127 does not run"
fi
(cd labels && GO111MODULE=off GODEBUG=tracebacklabels=1 GOTRACEBACK=all "$GO126" run main.go panic) 2>&1 | neutral "$("$GO126" env GOROOT)" > labels/go1.26-all.txt
# Go 1.26 in GOPATH mode defaults to asynctimerchan=1, under which synctest refuses to run.
(cd synctest && GO111MODULE=off GODEBUG=asynctimerchan=0 "$GO126" test -count=1 bubble_test.go) 2>&1 | neutral "$("$GO126" env GOROOT)" > synctest/go1.26.txt

# Mangled pastes of a real dump.
src=deadlock/go1.26.txt
mkdir -p mangled
{ echo 'Seen in production, the dump was:'; echo; sed 's/^/> /' "$src"; echo; echo 'Any idea?'; } > mangled/quoted.txt
awk '{ printf "2024-01-02T15:04:%02d.%03dZ %s\n", NR % 60, NR % 1000, $0 }' "$src" > mangled/timestamped.txt
awk '{ printf "Jan 02 15:04:%02d host app[4242]: %s\n", NR % 60, $0 }' "$src" > mangled/syslog.txt
awk '{ printf "2024-01-02T15:04:05.%09dZ stderr F %s\n", NR, $0 }' "$src" > mangled/kubectl.txt
sed 's/^/pod-xyz app | /' "$src" > mangled/compose.txt
sed 's/$/\r/' "$src" > mangled/crlf.txt
{ echo 'The goroutines:'; echo '```'; sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g" pprof/go1.26.debug2.txt; echo '```'; } > mangled/fenced-html.txt
head -n 26 "$src" > mangled/cut.txt
printf 'main.(*store).readTh' >> mangled/cut.txt
{ cat "$src"; echo 'restarting...'; echo; cat panic-recovered/go1.26.txt; } > mangled/several.txt

# panicparse's `pp` output of real dumps (github.com/maruel/panicparse/v2 v2.5.0, which passes the
# Go 1.27 labelled headers it cannot read through unchanged).
PANICPARSE=${PANICPARSE:-panicparse}
if command -v "$PANICPARSE" >/dev/null 2>&1; then
  mkdir -p panicparse
  "$PANICPARSE" -no-color deadlock/go1.26.txt > panicparse/deadlock-go1.26.txt 2>&1
  "$PANICPARSE" -no-color sigquit/go1.26-all.txt > panicparse/sigquit-go1.26-all.txt 2>&1
  "$PANICPARSE" -no-color labels/go1.27-all.txt > panicparse/labels-go1.27-all.txt 2>&1
else
  echo "skip panicparse: $PANICPARSE not found (go install github.com/maruel/panicparse/v2@v2.5.0)"
fi
