# Debian's Chromium for the dashboard's browser tests (playwright-core drives it; its own browser download cannot work),
# and Noto CJK so the chat page's Chinese question renders as text, not boxes, in the screenshots.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
/usr/bin/chromium --version
