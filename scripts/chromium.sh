#!/usr/bin/env bash
# Prints the path of a Chromium that runs headless, for the browser tests. When none is on PATH it installs Debian's
# package first (apt-get, as root: CI and the development machines run as root), so that a fresh machine needs no
# step by hand.
set -euo pipefail

find_chromium() {
  local name
  for name in chromium chromium-browser; do
    command -v "$name" 2>/dev/null && return 0
  done
  return 1
}

if find_chromium; then
  exit 0
fi

echo "chromium is not installed; installing Debian's chromium package" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "installing chromium needs root; run: apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt-get on the machine holds the lock for a while at most; wait for it rather than fail.
apt-get -o DPkg::Lock::Timeout=600 -qq update >&2
# A font too, so that pages render text rather than empty boxes in screenshots.
apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends chromium fonts-dejavu-core >&2
find_chromium || { echo "chromium is still not on PATH after installing it" >&2; exit 1; }
