#!/usr/bin/env bash
# Builds Metacontroller from its source archive once, into a cache directory keyed by the archive's sha256, and
# prints that directory (it holds bin/metacontroller and crds.yaml, Metacontroller's own CRDs).
# Concurrent callers (eight helpers, parallel test workers) take an exclusive flock on the key's lock file: the first
# builds, the others wait and then find the binary. A second run with the binary present returns at once.
# The archive: $METAGENT_METACONTROLLER_SRC, else the one *.tar.gz in /work/shared/metacontroller/.
set -euo pipefail

CACHE_ROOT="${METAGENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metagent}"
SRC="${METAGENT_METACONTROLLER_SRC:-}"
if [ -z "$SRC" ]; then
  shopt -s nullglob
  found=(/work/shared/metacontroller/*.tar.gz)
  shopt -u nullglob
  [ "${#found[@]}" -eq 1 ] || { echo "build-metacontroller: expected exactly one *.tar.gz in /work/shared/metacontroller/ (found ${#found[@]}); set METAGENT_METACONTROLLER_SRC" >&2; exit 2; }
  SRC="${found[0]}"
fi
[ -r "$SRC" ] || { echo "build-metacontroller: source archive $SRC is not readable" >&2; exit 2; }

sum=$(sha256sum "$SRC" | cut -c1-16)
name=$(basename "$SRC" .tar.gz); name="${name%-src}"          # metacontroller-v4.17.2
OUT="$CACHE_ROOT/$name-$sum"
ready() { [ -x "$OUT/bin/metacontroller" ] && [ -s "$OUT/crds.yaml" ]; }
if ready; then echo "$OUT"; exit 0; fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/$name-$sum.lock"
if ! flock -n 9; then
  echo "build-metacontroller: another process is building $name; waiting for it" >&2
  flock 9
fi
if ready; then echo "$OUT"; exit 0; fi

command -v go >/dev/null || { echo "build-metacontroller: 'go' is not installed; it is needed to build Metacontroller" >&2; exit 2; }
start=$(date +%s)
WORK="$OUT.build"
rm -rf "$WORK"; mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
tar xzf "$SRC" -C "$WORK"
top=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d | head -1)
[ -f "$top/go.mod" ] || { echo "build-metacontroller: $SRC has no go.mod at its top directory" >&2; exit 2; }
crds="$top/manifests/production/metacontroller-crds-v1.yaml"
[ -s "$crds" ] || { echo "build-metacontroller: $SRC lacks manifests/production/metacontroller-crds-v1.yaml" >&2; exit 2; }
echo "build-metacontroller: building $name from $SRC (sha256 $sum…)" >&2
(
  cd "$top"
  export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
  go build -trimpath -ldflags "-s -w" -o "$WORK/metacontroller" ./pkg/cmd/metacontroller
)
mkdir -p "$OUT/bin"
cp "$crds" "$OUT/crds.yaml.tmp" && mv "$OUT/crds.yaml.tmp" "$OUT/crds.yaml"
mv "$WORK/metacontroller" "$OUT/bin/metacontroller"
rm -rf "$WORK"
echo "build-metacontroller: built in $(( $(date +%s) - start ))s" >&2
echo "$OUT"
