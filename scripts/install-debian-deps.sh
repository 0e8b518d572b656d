#!/usr/bin/env bash
# Debian packages the end-to-end and integration tests need:
#   chromium      the browser playwright-core drives (no Playwright browser download here)
#   libkrb5-dev   headers for code-server's native `kerberos` module
#   ripgrep       its `rg` stands in for @vscode/ripgrep's download (see install-code-server.sh)
#   build tools   node-gyp builds of node-pty and friends during code-server's postinstall
#   python3-venv  the tests' Python venvs (TensorBoard reader, Keras export, onnx.checker); Debian's python3 lacks ensurepip without it
# Idempotent: when everything is present it does not touch apt at all.
set -euo pipefail

# package -> a file that proves it is installed (cheaper and clearer than parsing dpkg)
declare -A WANT=(
  [chromium]=/usr/bin/chromium
  [libkrb5-dev]=/usr/include/krb5.h
  [ripgrep]=/usr/bin/rg
  [python3]=/usr/bin/python3
  [python3-venv]=/usr/share/doc/python3-venv
  [make]=/usr/bin/make
  [g++]=/usr/bin/g++
  [pkg-config]=/usr/bin/pkg-config
)

missing=()
for pkg in "${!WANT[@]}"; do
  [[ -e "${WANT[$pkg]}" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "[debian-deps] all present: ${!WANT[*]}"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "[debian-deps] need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "[debian-deps] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for pkg in "${missing[@]}"; do
  [[ -e "${WANT[$pkg]}" ]] || { echo "[debian-deps] $pkg installed but ${WANT[$pkg]} is missing" >&2; exit 1; }
done
echo "[debian-deps] done"
