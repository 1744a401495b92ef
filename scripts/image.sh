#!/usr/bin/env bash
# `npm run image`: builds both images from the one Dockerfile (targets runtime and control-plane), tagged with
# package.json's version and labelled with the OCI image spec's source, version and revision; prints their sizes.
#   REGISTRY   registry host (default ghcr.io): images REGISTRY/metagent/metagent and REGISTRY/metagent/metagent-runtime,
#              the chart's image.registry / syncHooks.runtimeImage.registry
#   NODE_IMAGE the Node.js base (default: the Dockerfile's node:24-slim; a mirror or a local stand-in when docker.io
#              is unreachable, see scripts/node-base.sh)
#   BUILDER    buildah (default; `buildah bud --isolation chroot`, no container engine needed) or docker
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./package.json').version")
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
registry="${REGISTRY:-ghcr.io}/metagent"
builder="${BUILDER:-buildah}"
args=(--build-arg "VERSION=$version" --build-arg "REVISION=$revision")
[ -n "${NODE_IMAGE:-}" ] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
# Behind a TLS-intercepting proxy (NODE_EXTRA_CA_CERTS set here), npm inside the build needs its CA too.
if [ "$builder" = buildah ] && [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
  args+=(-v "$NODE_EXTRA_CA_CERTS:/tmp/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/tmp/build-ca.crt)
fi
for pair in runtime:metagent-runtime control-plane:metagent; do
  target="${pair%%:*}"; tag="$registry/${pair#*:}:$version"
  echo "image: building $tag (target $target)" >&2
  case "$builder" in
    buildah) buildah bud --isolation chroot --layers --target "$target" -t "$tag" "${args[@]}" -f Dockerfile . ;;
    docker) docker build --target "$target" -t "$tag" "${args[@]}" -f Dockerfile . ;;
    *) echo "image: BUILDER must be buildah or docker, not $builder" >&2; exit 2 ;;
  esac
done
for name in metagent-runtime metagent; do
  tag="$registry/$name:$version"
  case "$builder" in
    buildah) size=$(buildah inspect --type image --format '{{.Docker.Size}}' "$tag" 2>/dev/null || true)
      [ -n "$size" ] && [ "$size" != "0" ] || size=$(buildah images --noheading --format '{{.Size}}' "$tag") ;;
    docker) size=$(docker image inspect --format '{{.Size}}' "$tag") ;;
  esac
  echo "$tag $size"
done
