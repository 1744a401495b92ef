# cached_go_install DIR BINARY MODULE@VERSION [go install flags...]
# Builds BINARY from the Go module proxy into DIR (GOBIN, static: CGO_ENABLED=0) unless DIR/BINARY already runs.
# DIR is the cache key (the caller names it for the version), so a version change builds anew and an unchanged one
# returns at once. One build per machine: helpers and CI runs sharing the cache take an exclusive flock on DIR.lock,
# the first builds, the others wait and then find the binary. Sourced by the .ci/steps that install Go tools.
cached_go_install() {
  local dir="$1" binary="$2" module="$3"
  shift 3
  [ -x "$dir/$binary" ] && return 0
  mkdir -p "$dir"
  (
    flock 9
    if [ ! -x "$dir/$binary" ]; then
      echo "building $binary ${module##*@} into $dir"
      GOBIN="$dir" CGO_ENABLED=0 go install "$@" "$module"
    fi
  ) 9>"$dir.lock"
}
