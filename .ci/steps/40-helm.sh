# Helm, for the chart tests (test/chart/): built from the Go module proxy at a pinned version and cached under
# ~/.cache/metagent/ keyed by that version, beside the test cluster's binaries. Sourced by .ci/run; test/chart/helm.ts
# finds the binary at the same place (METAGENT_HELM overrides it).
# shellcheck source=../lib/go-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/go-install.sh"
HELM_VERSION="${HELM_VERSION:-v4.3.2}"
helm_dir="${METAGENT_CACHE:-$HOME/.cache/metagent}/helm-$HELM_VERSION"
cached_go_install "$helm_dir" helm "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
"$helm_dir/helm" version --short
