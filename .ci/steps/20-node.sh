# Node.js: the major of the Dockerfile's NODE_IMAGE (the images' Node, Node 24 LTS). When the machine's node is older,
# the npm registry's node-linux-<arch> package of that major is unpacked once into ~/.cache/metagent/ and put first on
# PATH (this step is sourced, so the later steps and `npm test` use it); then the dependencies.
node_major="$(sed -nE 's/^ARG NODE_IMAGE=(.*\/)?node:([0-9]+).*/\2/p' Dockerfile)"
[ -n "$node_major" ] || { echo "Dockerfile: no ARG NODE_IMAGE=node:<major> line" >&2; exit 1; }
have_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$have_major" -lt "$node_major" ]; then
  case "$(uname -m)" in x86_64) node_arch=x64 ;; aarch64) node_arch=arm64 ;; *) node_arch="$(uname -m)" ;; esac
  node_cache="${METAGENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metagent}"
  node_dir="$node_cache/node-linux-$node_arch-$node_major"
  if [ ! -x "$node_dir/bin/node" ]; then
    mkdir -p "$node_cache"
    node_work="$(mktemp -d)"
    # npm resolves the highest release of the major; the tarball's package/ holds bin/node.
    (cd "$node_work" && npm pack --silent "node-linux-$node_arch@$node_major" >/dev/null && tar -xzf node-linux-*.tgz)
    rm -rf "$node_dir.tmp" && mv "$node_work/package" "$node_dir.tmp" && mv -T "$node_dir.tmp" "$node_dir"
    rm -rf "$node_work"
  fi
  export PATH="$node_dir/bin:$PATH"
fi
node --version; npm --version; go version
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$node_major" ] || { echo "node $(node --version) is older than $node_major" >&2; exit 1; }
npm ci --no-audit --no-fund
