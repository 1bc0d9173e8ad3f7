#!/usr/bin/env bash
# Builds a real Bytebase server (github.com/bytebase/bytebase/backend/bin/server) of one release into a cache outside
# the clone, keyed by version: ${PULUMI_BYTEBASE_CACHE:-~/.cache/pulumi-bytebase-gitops}/bytebase/<version>/bytebase.
# A cached binary is never rebuilt. Prints the binary's path on stdout; progress goes to stderr.
#   bash scripts/bytebase/build.sh VERSION        (a version of scripts/bytebase/versions.json)
#   bash scripts/bytebase/build.sh --path VERSION (print where the binary goes; build nothing)
#
# The Go module proxy refuses every Bytebase commit we need (403 "This module version is not available"), so the
# source comes from a git clone of bytebase/bytebase: BYTEBASE_GIT_DIR (default: the mirror under /work/.mirror).
# Bytebase's own go.mod and go.sum (with its replace lines) are used as they are; dependencies come from the proxy.
# Flags follow Bytebase's scripts/build_bytebase.sh and scripts/Dockerfile at each tag: tag release, no embed_frontend
# (the API works without the web app), plus (versions.json) minimal and minidemo at 2.x, minidemo at 3.4, which leave
# out database drivers and parsers, and docker up to 3.4, which keeps the PostgreSQL, mongo and mysql tarballs (not in
# git) out of the binary: scripts/bytebase/server.ts points the server at an external PostgreSQL instead.
set -euo pipefail

# The whole script is one function, read before it runs, and its call exits: editing this file during a build cannot
# derail it.
main() {
path_only=0
if [ "${1:-}" = "--path" ]; then
  path_only=1
  shift
fi
version=${1:-}

# versions.json: each release's commit and the build tags that keep the API with the fewest drivers at that tag.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
read -r commit tags < <(node -e '
  const [file, v] = process.argv.slice(1);
  const all = require(file);
  if (!all[v]) {
    console.error(`build.sh: unknown Bytebase version "${v}"; known: ${Object.keys(all).join(", ")}`);
    process.exit(2);
  }
  console.log(all[v].commit, all[v].tags);
' "$here/versions.json" "$version") || exit 2

cache=${PULUMI_BYTEBASE_CACHE:-$HOME/.cache/pulumi-bytebase-gitops}/bytebase
out="$cache/$version/bytebase"
if [ "$path_only" = 1 ] || [ -x "$out" ]; then
  echo "$out"
  exit 0
fi

git_dir=${BYTEBASE_GIT_DIR:-/work/.mirror/bytebase+bytebase/repo}
if ! git --git-dir="$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
  echo "build.sh: Bytebase $version needs commit $commit of bytebase/bytebase; it is not in '$git_dir'." >&2
  echo "Set BYTEBASE_GIT_DIR to a clone of https://github.com/bytebase/bytebase that has the tag $version." >&2
  exit 1
fi
if ! command -v go >/dev/null; then
  echo "build.sh: Go is not on PATH (Bytebase $version needs Go and gcc for cgo)" >&2
  exit 1
fi

mkdir -p "$cache/$version"
work=$(mktemp -d "$cache/$version/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "build.sh: building Bytebase $version ($commit, tags $tags) in $work" >&2
git --git-dir="$git_dir" archive "$commit" | tar -x -C "$work"
# A slimmed clone replaces its large blobs with `<file>.REMOVED.git-id` (at 2.14.1 and 3.4.1 only the test mail's
# banner.png, which go:embed needs to exist): put an empty file in its place.
while IFS= read -r -d '' stub; do
  real=${stub%.REMOVED.git-id}
  [ -e "$real" ] || { : >"$real" && echo "build.sh: ${real#"$work/"} is absent from the clone: embedded empty" >&2; }
done < <(find "$work/backend" -name '*.REMOVED.git-id' -print0)

# As scripts/build_bytebase.sh sets them, so /v1/actuator/info answers the tag's version and gitCommit.
pkg=github.com/bytebase/bytebase/backend/bin/server/cmd
ldflags="-w -s -X '$pkg.version=$version' -X '$pkg.gitcommit=$commit' -X '$pkg.goversion=$(go env GOVERSION)'"
ldflags+=" -X '$pkg.buildtime=$(date -u +%Y-%m-%dT%H:%M:%SZ)' -X '$pkg.builduser=$(id -u -n)'"
# (No -checklinkname=0: 2.14.1, 3.4.1 and 3.21.1 link under Go 1.26.8 without it.)

(
  cd "$work"
  GOTOOLCHAIN=local CGO_ENABLED=1 GOFLAGS="-mod=mod -buildvcs=false" \
    nice -n "${BYTEBASE_BUILD_NICE:-10}" go build -trimpath -tags "$tags" -ldflags "$ldflags" \
    -o "$work/bytebase" ./backend/bin/server
)
mv -f "$work/bytebase" "$out" # a rename within one directory tree: the binary appears whole or not at all
echo "build.sh: built $out" >&2
echo "$out"
}
main "$@"; exit # one line: bash stops here even if this file changed while it ran
