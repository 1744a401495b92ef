# Debian packages the tests need.
need=()
for pair in openssl:openssl curl:curl git:git; do
  command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
done
# The durable-store tests start a real PostgreSQL server (initdb + pg_ctl) on loopback.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
command -v go >/dev/null || { echo "Go is required to build the test cluster (kube-apiserver, etcd) from the module proxy" >&2; exit 1; }
