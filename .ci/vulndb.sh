#!/usr/bin/env bash
# Prints the absolute path of a local Go vulnerability database for
# `go tool govulncheck -db "file://$(.ci/vulndb.sh)" ./...`.
#
# CI reaches the Go module proxy but not vuln.go.dev, so the database comes
# from the golang.org/x/vulndb module, pinned below: its data/osv/ folder holds
# one OSV entry per advisory (GO-YYYY-NNNN.json), the same entries that
# vuln.go.dev serves (there with real modified/published dates). The pinned
# govulncheck (v1.9.0, see go.mod's tool block) reads such a flat folder of OSV
# files given as a file:// -db and builds the index itself (client.newLocalClient
# -> newHybridSource), so nothing needs building: the cost is one ~25 MB module
# download. If a govulncheck upgrade drops that, it fails loudly ("unrecognized
# vulndb format"); then build the documented v1 layout (index/, ID/) instead,
# about 2 minutes from a cold module cache:
#   go run golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION -vulns "$osv" -out DIR
#
# Bump VULNDB_VERSION to see newer advisories: `go list -m -versions` does not
# list pseudo-versions, so take `go mod download -json golang.org/x/vulndb@latest`'s
# Version. The module is fetched outside this project's go.mod, which it never touches.
set -euo pipefail
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Run outside the project's module so that go.mod and go.sum stay untouched.
if ! json=$(cd "$tmp" && GOWORK=off go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION"); then
  echo "vulndb.sh: cannot download golang.org/x/vulndb@$VULNDB_VERSION:" >&2
  printf '%s\n' "$json" >&2
  exit 1
fi
dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
osv="$dir/data/osv"
if [ -z "$dir" ] || [ ! -d "$osv" ]; then
  echo "vulndb.sh: no data/osv in golang.org/x/vulndb@$VULNDB_VERSION:" >&2
  printf '%s\n' "$json" >&2
  exit 1
fi
# An empty or moved folder would make govulncheck report nothing: refuse it.
count=$(find "$osv" -maxdepth 1 -name 'GO-*.json' | wc -l)
if [ "$count" -lt 4000 ]; then
  echo "vulndb.sh: only $count OSV entries in $osv; expected thousands" >&2
  exit 1
fi
echo "vulndb.sh: golang.org/x/vulndb@$VULNDB_VERSION, $count entries" >&2
echo "$osv"
