#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kubectl (k8s.io/kubernetes) and etcd from the Go module proxy,
# into a cache directory keyed by version. A second run with the binaries present returns at once.
# Why a wrapper module: k8s.io/kubernetes' go.mod replaces its k8s.io/* staging modules with local paths, so it
# cannot be `go install`ed; we require it and point each staging module at its published v0.X release instead.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE_ROOT="${METAGENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metagent}"
BIN_DIR="$CACHE_ROOT/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"
WANT=(kube-apiserver kube-controller-manager kubectl etcd)

have_all() { for b in "${WANT[@]}"; do [ -x "$BIN_DIR/$b" ] || return 1; done; }
if have_all; then echo "$BIN_DIR"; exit 0; fi

command -v go >/dev/null || { echo "build-binaries: 'go' is not installed; it is needed to build the test cluster" >&2; exit 2; }
mkdir -p "$BIN_DIR"
WORK="$CACHE_ROOT/build-$KUBE_VERSION"
rm -rf "$WORK"; mkdir -p "$WORK/kube" "$WORK/etcd"
start=$(date +%s)

staging_minor="v0.${KUBE_VERSION#v1.}"   # v1.34.4 -> v0.34.4
gp="${GOPROXY:-$(go env GOPROXY)}"; proxy="${gp%%,*}"; [ -n "$proxy" ] && [ "$proxy" != "direct" ] || proxy=https://proxy.golang.org
gomod=$(curl -fsSL "$proxy/k8s.io/kubernetes/@v/$KUBE_VERSION.mod")
{
  echo "module metagent.local/kubebuild"
  echo "go $(echo "$gomod" | awk '/^go /{print $2; exit}')"
  echo "require k8s.io/kubernetes $KUBE_VERSION"
  echo "replace ("
  echo "$gomod" | awk -v v="$staging_minor" '$2=="=>" && $3 ~ /^\.\/staging\// {print "\t" $1 " => " $1 " " v}'
  echo ")"
} > "$WORK/kube/go.mod"
echo "package main" > "$WORK/kube/main.go"; echo "func main() {}" >> "$WORK/kube/main.go"
(
  cd "$WORK/kube"
  export GOFLAGS="-mod=mod" CGO_ENABLED=0
  go mod download k8s.io/kubernetes
  for b in kube-apiserver kube-controller-manager kubectl; do
    echo "build-binaries: building $b $KUBE_VERSION" >&2
    go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION" -o "$BIN_DIR/$b.tmp" "k8s.io/kubernetes/cmd/$b"
    mv "$BIN_DIR/$b.tmp" "$BIN_DIR/$b"
  done
)
(
  cd "$WORK/etcd"
  printf 'module metagent.local/etcdbuild\ngo 1.24\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > go.mod
  echo "package main" > main.go; echo "func main() {}" >> main.go
  export GOFLAGS="-mod=mod" CGO_ENABLED=0
  echo "build-binaries: building etcd $ETCD_VERSION" >&2
  go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
)
rm -rf "$WORK"
echo "build-binaries: built in $(( $(date +%s) - start ))s" >&2
echo "$BIN_DIR"
