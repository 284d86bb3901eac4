#!/usr/bin/env bash
# Usage: .ci/fuzz.sh FuzzTarget ./package
# Fuzzes one target for $FUZZTIME (default 5s) beyond its seed corpus.
#
# Go's fuzzing engine sometimes fails without a finding: at the -fuzztime
# boundary ("context deadline exceeded", golang/go#51484) or when a worker is
# stopped while it minimizes ("fuzzing process hung or terminated
# unexpectedly", golang/go#56238). A real finding is an input that fails again
# when replayed as an ordinary test, so:
#   - an input was written: print it and replay it (10 s, the engine's own
#     limit for one input); the run fails if the replay fails;
#   - no input was written: fuzz again, up to three times in all; a third
#     failure fails the run (on a busy machine the engine failed twice running
#     at the boundary, and passed at once when run again).
set -uo pipefail
target=$1 pkg=$2
# attempt fuzzes once; a pass prints go test's last line, a failure what
# the engine said (without its progress lines), in $out too.
attempt() {
  out=$(go test -run '^$' -fuzz "^$target\$" -fuzztime "${FUZZTIME:-5s}" "$pkg" 2>&1) && { echo "$out" | tail -1; return 0; }
  echo "$out" | grep -v '^fuzz: elapsed' | tail -20
  return 1
}

for try in 1 2 3; do
  attempt && exit 0
  input=$(echo "$out" | sed -n "s/.*go test -run=$target\/\([0-9a-f]*\).*/\1/p" | head -1)
  if [ -n "$input" ]; then
    file="$pkg/testdata/fuzz/$target/$input"
    echo "-- the written input ($file):"
    cat "$file"
    echo "-- replaying it as a test"
    if go test -count=1 -timeout 10s -run "^$target\$/^$input\$" "$pkg"; then
      echo "$target: the written input passes on replay; the engine failed, not the code"
      rm -f "$file"
      exit 0
    fi
    exit 1
  fi
  echo "-- no input was written ($try of 3 attempts)"
done
exit 1
