#!/usr/bin/env bash
# Set-up command 1 (fresh Debian 12, as root): install the Debian packages, build, install the
# library, tools and man pages to /usr/local (then ldconfig), run the known-answer check over
# every bundled vector file, and a demo: recovering the bundled kernel-written ext4 image offline.
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
if [ "$(id -u)" = 0 ]; then
  echo "== installing to /usr/local (cmake --install build; ldconfig)"
  cmake --install build >/dev/null
  ldconfig
else
  echo "== not root: skipping 'cmake --install build' (run it as root to put the tools on PATH)"
fi
echo "== known-answer run over every bundled vector file"
find tests/vectors -name '*.json' -print0 | sort -z | xargs -0 ./build/tools/fscrypt-ext kat
echo "== demo: decrypting kernel-written files with examples/decrypt_file"
bash tests/scripts/demo-decrypt.sh build . 4
echo "== demo: recovering the bundled kernel-written ext4 image offline (no mount, no kernel)"
bash tests/scripts/demo-ext4.sh build .
