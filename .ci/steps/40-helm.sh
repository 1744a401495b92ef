# Helm, for the chart tests (test/chart/): built from the Go module proxy at a pinned version and cached under
# ~/.cache/metagent/ keyed by that version, beside the test cluster's binaries. Sourced by .ci/run; test/chart/helm.ts
# finds the binary at the same place (METAGENT_HELM overrides it).
HELM_VERSION="${HELM_VERSION:-v4.3.2}"
helm_dir="${METAGENT_CACHE:-$HOME/.cache/metagent}/helm-$HELM_VERSION"
if [ ! -x "$helm_dir/helm" ]; then
  mkdir -p "$helm_dir"
  # One build per machine: helpers and CI runs sharing the cache wait for the first one.
  (
    flock 9
    if [ ! -x "$helm_dir/helm" ]; then
      echo "building helm $HELM_VERSION into $helm_dir"
      GOBIN="$helm_dir" CGO_ENABLED=0 go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
    fi
  ) 9>"$helm_dir.lock"
fi
"$helm_dir/helm" version --short
