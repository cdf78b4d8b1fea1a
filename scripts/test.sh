#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, builds, typechecks, runs vitest.
# Under CI=true a missing system dependency fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the test suite needs (real servers and tools the tests start). Empty until a test needs one.
DEB_PACKAGES=(openssl rsyslog rsyslog-gnutls chromium nginx sslscan postgresql)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm test
