#!/usr/bin/env bash
# Set-up command 1 (fresh Debian 12, as root): install the Debian packages, build, run the
# known-answer check over every bundled vector file, and a short demo.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # shellcheck disable=SC2046
  apt-get install -y --no-install-recommends $(grep -v '^#' tools/debian-packages.txt)
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
echo "== known-answer run over every bundled vector file"
find tests/vectors -name '*.json' -print0 | sort -z | xargs -0 ./build/tools/fscrypt-ext kat
echo "== demo: decrypting kernel-written files with examples/decrypt_file"
bash tests/scripts/demo-decrypt.sh build . 4
