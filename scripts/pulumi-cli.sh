#!/usr/bin/env bash
# Builds the real Pulumi CLI from its Go module (no download site is reachable here) and prints the directory that
# holds `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs` as its last line of standard output.
#   bash scripts/pulumi-cli.sh            (npm run pulumi-cli)
#   PULUMI_CLI_VERSION=v3.275.0 bash scripts/pulumi-cli.sh
# The module is scripts/pulumi-cli (go.mod pins pkg/v3 and sdk/v3); a finished build is kept in
# ~/.cache/pulumi-bytebase-gitops/pulumi-cli/<version>-<hash of our sources>/bin and reused, so only a fresh machine
# pays the cold build. Flags follow pulumi/pulumi's .goreleaser.yml (tags osusergo,grpcnotrace; the version is set,
# since plugin and policy-pack version ranges are checked against it). The language host is our own
# (scripts/pulumi-cli/language-host/main.go says why).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$root/scripts/pulumi-cli"
pinned=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$src/go.mod")
version=${PULUMI_CLI_VERSION:-$pinned}
hash=$(cat "$src/go.mod" "$src/go.sum" "$src/tools.go" "$src/language-host/main.go" | sha256sum | cut -c1-12)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-bytebase-gitops/pulumi-cli/$version-$hash"
bin="$cache/bin"

if [ ! -x "$bin/pulumi" ] || [ ! -x "$bin/pulumi-language-nodejs" ] || [ ! -x "$bin/pulumi-resource-pulumi-nodejs" ]; then
  command -v go >/dev/null || { echo "pulumi-cli: Go is not on PATH; install Go 1.26 to build the Pulumi CLI" >&2; exit 1; }
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
  mkdir -p "$(dirname "$cache")"
  work=$(mktemp -d "$(dirname "$cache")/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  cp -r "$src/." "$work/"
  cd "$work"
  if [ "$version" != "$pinned" ]; then
    echo "pulumi-cli: building $version instead of the pinned $pinned" >&2
    go get "github.com/pulumi/pulumi/pkg/v3@$version" "github.com/pulumi/pulumi/sdk/v3@$version" >&2
    go mod tidy >&2
  fi
  started=$(date +%s)
  echo "pulumi-cli: building pulumi $version (a cold build takes minutes; the result is cached in $cache)" >&2
  flags=(-trimpath -tags osusergo,grpcnotrace -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version")
  mkdir -p out
  go build "${flags[@]}" -o out/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  go build "${flags[@]}" -o out/pulumi-language-nodejs ./language-host >&2
  # The CLI archive ships this script beside `pulumi`; the sdk module carries the same file (sdk/nodejs/dist).
  sdk=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
  install -m 0755 "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" out/pulumi-resource-pulumi-nodejs
  mkdir -p "$cache"
  rm -rf "$bin"
  mv out "$bin"
  echo "pulumi-cli: built in $(($(date +%s) - started)) s" >&2
fi
echo "$bin"
