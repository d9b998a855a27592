#!/usr/bin/env bash
# Set up Veikart on a fresh machine: Debian packages (when missing, as root), a virtual
# environment in .venv and the package with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the project needs, one per line in scripts/debian-packages.txt.
missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/debian-packages.txt
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Node.js and npm for the dashboard's front-end packages: a machine may have them from elsewhere
# (NodeSource's nodejs carries its own npm, which Debian's npm package would conflict with), so
# Debian's are installed only when there is no npm at all.
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Debian packages: nodejs npm"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
# The dashboard's stylesheets (Designsystemet) and axe-core for its browser tests, exactly as
# package-lock.json names them.
if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# Byte-compile the package: pip compiles the dependencies, not an editable install, and with
# PYTHONDONTWRITEBYTECODE set (as on these machines) every command would compile it again.
.venv/bin/python -m compileall -q src >/dev/null
