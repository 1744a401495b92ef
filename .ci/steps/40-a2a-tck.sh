# The A2A TCK (../shared/a2a-tck, a Python pytest suite): unpacked with its venv built from PyPI once per archive and
# Python version under ~/.cache/metagent, then exported as METAGENT_A2A_TCK for test/tck/tck.test.ts.
# Also runnable on its own (`bash .ci/steps/40-a2a-tck.sh`): the last line it prints is the directory.
tck_archive="${METAGENT_A2A_TCK_ARCHIVE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/../shared/a2a-tck/a2a-tck-410ba92.tar.gz}"
[ -f "$tck_archive" ] || { echo "A2A TCK archive not found: $tck_archive (set METAGENT_A2A_TCK_ARCHIVE)" >&2; return 1 2>/dev/null || exit 1; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
fi
tck_key="$(sha256sum "$tck_archive" | cut -c1-16)-py$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
tck_home="$HOME/.cache/metagent/a2a-tck-$tck_key"
if [ ! -f "$tck_home/.built" ]; then
  mkdir -p "$HOME/.cache/metagent"
  (
    flock 9
    if [ ! -f "$tck_home/.built" ]; then
      rm -rf "$tck_home" && mkdir -p "$tck_home"
      tar xzf "$tck_archive" -C "$tck_home" --strip-components=1
      python3 -m venv "$tck_home/.venv"
      "$tck_home/.venv/bin/pip" install -q --disable-pip-version-check -e "$tck_home" >&2
      touch "$tck_home/.built"
    fi
  ) 9>"$HOME/.cache/metagent/a2a-tck.lock"
fi
export METAGENT_A2A_TCK="$tck_home"
echo "$METAGENT_A2A_TCK"
