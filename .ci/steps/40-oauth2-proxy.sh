# oauth2-proxy, for the dashboard's sign-in test (test/dashboard/oauth2-proxy.test.ts): the real proxy the
# manifests/dashboard sidecar runs, built from the Go module proxy at the sidecar image's tag (one version, read from
# the Deployment) and cached under ~/.cache/metagent/ keyed by it. test/dashboard/oauth2-proxy.ts finds the binary at
# the same place (METAGENT_OAUTH2_PROXY overrides it).
# shellcheck source=../lib/go-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/go-install.sh"
OAUTH2_PROXY_VERSION="$(sed -nE 's#^ *image: quay\.io/oauth2-proxy/oauth2-proxy:(v[0-9.]+)$#\1#p' manifests/dashboard/deployment.yaml)"
[ -n "$OAUTH2_PROXY_VERSION" ] || { echo "manifests/dashboard/deployment.yaml: no oauth2-proxy image tag" >&2; exit 1; }
oauth2_proxy_dir="${METAGENT_CACHE:-$HOME/.cache/metagent}/oauth2-proxy-$OAUTH2_PROXY_VERSION"
cached_go_install "$oauth2_proxy_dir" oauth2-proxy "github.com/oauth2-proxy/oauth2-proxy/v7@$OAUTH2_PROXY_VERSION" \
  -ldflags "-X github.com/oauth2-proxy/oauth2-proxy/v7/pkg/version.VERSION=$OAUTH2_PROXY_VERSION"
"$oauth2_proxy_dir/oauth2-proxy" --version
