#!/usr/bin/env bash
# Installs whatever this project needs and is missing, on Debian 12:
# the Debian packages (once, with apt-get) and the npm packages (from the
# lock file). Safe to run again: it does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Must match DEVELOPERS.md's toolchain list, plus the native test tools.
DEBIAN_PACKAGES=(
  cmake g++ make pkg-config ccache
  libeigen3-dev libsimde-dev libstb-dev zlib1g-dev
  libgtest-dev clang libclang-rt-14-dev
  emscripten chromium firefox-esr
  webkit2gtk-driver xvfb  # WebKit (MiniBrowser) over WebDriver, under a virtual display
  python3-onnx  # onnx.checker, for the ONNX export test
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages, pinned by package-lock.json; reinstalled when the lock changes.
stamp=node_modules/.lock-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi
