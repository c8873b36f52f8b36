#!/usr/bin/env bash
# The README's first command: installs everything this project needs on a fresh Debian
# machine (system packages, npm packages, Node 24 for the scripts, Electron when it can be
# downloaded) and starts the workstation on the built-in demo reading server.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(chromium orthanc orthanc-dicomweb fonts-noto-cjk dcmtk libopenjp2-tools)
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Electron's binary comes from the internet, not the npm registry: install the packages
# without it, then try once to fetch it (machines without internet run in a browser instead).
echo "Installing npm packages (npm ci)…"
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-fund --no-audit --loglevel=error
if [ ! -f node_modules/electron/path.txt ]; then
  if timeout 90 node_modules/.bin/node node_modules/electron/install.js >/dev/null 2>&1; then
    echo "Electron binary installed."
  else
    echo "Electron binary could not be downloaded (no internet access?): npm start will serve the workstation to a browser."
  fi
fi

npm start
