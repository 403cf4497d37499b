#!/usr/bin/env bash
# Installs the binding into a fresh virtual environment without network access
# (pip install ./bindings/python) and runs its pytest suite against BUILD_DIR's library.
# Usage: bindings/python/run-tests.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
py=${PYTHON:-/usr/bin/python3}
if ! $py -c 'import pytest, venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pytest python3-venv >/dev/null
  else
    echo "python binding tests need python3-pytest and python3-venv"; exit 1
  fi
fi
venv=$(mktemp -d); trap 'rm -rf "$venv"' EXIT
$py -m venv --system-site-packages "$venv"
"$venv/bin/pip" install --no-index --no-cache-dir --quiet "$here"
cd "$venv"   # import the installed package, not the source tree
FSCRYPT_EXT_LIBRARY="$build/libfscrypt-ext.so.0" "$venv/bin/python" -m pytest -q "$here/tests"
