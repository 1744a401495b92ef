# oauth2-proxy, for the dashboard's sign-in test (test/dashboard/oauth2-proxy.test.ts): the real proxy the
# manifests/dashboard sidecar runs, built from the Go module proxy at the sidecar image's tag (one version, read from
# the Deployment) and cached under ~/.cache/metagent/ keyed by it. test/dashboard/oauth2-proxy.ts finds the binary at
# the same place (METAGENT_OAUTH2_PROXY overrides it).
OAUTH2_PROXY_VERSION="$(sed -nE 's#^ *image: quay\.io/oauth2-proxy/oauth2-proxy:(v[0-9.]+)$#\1#p' manifests/dashboard/deployment.yaml)"
[ -n "$OAUTH2_PROXY_VERSION" ] || { echo "manifests/dashboard/deployment.yaml: no oauth2-proxy image tag" >&2; exit 1; }
oauth2_proxy_dir="${METAGENT_CACHE:-$HOME/.cache/metagent}/oauth2-proxy-$OAUTH2_PROXY_VERSION"
if [ ! -x "$oauth2_proxy_dir/oauth2-proxy" ]; then
  mkdir -p "$oauth2_proxy_dir"
  # One build per machine: helpers and CI runs sharing the cache wait for the first one.
  (
    flock 9
    if [ ! -x "$oauth2_proxy_dir/oauth2-proxy" ]; then
      echo "building oauth2-proxy $OAUTH2_PROXY_VERSION into $oauth2_proxy_dir"
      GOBIN="$oauth2_proxy_dir" CGO_ENABLED=0 go install \
        -ldflags "-X github.com/oauth2-proxy/oauth2-proxy/v7/pkg/version.VERSION=$OAUTH2_PROXY_VERSION" \
        "github.com/oauth2-proxy/oauth2-proxy/v7@$OAUTH2_PROXY_VERSION"
    fi
  ) 9>"$oauth2_proxy_dir.lock"
fi
"$oauth2_proxy_dir/oauth2-proxy" --version
